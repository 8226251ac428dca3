"""The LiveReload side: the snippet pages carry, and which tabs are told to reload."""
from __future__ import annotations

import json

from builder.preview.reload import PROTOCOL_7, SCRIPT_PATH, ReloadHub, _Socket, client_script


class FakeSocket:
    def __init__(self):
        self.sent = []

    def send_reload(self):
        self.sent.append("reload")


def test_the_snippet_loads_livereload_js_from_the_server_root_with_the_build_number():
    snippet = ReloadHub().snippet(7)
    assert f'"{SCRIPT_PATH}?port="' in snippet
    assert "snipver=7" in snippet
    assert snippet.startswith("<script>") and snippet.endswith("</script>")


def test_the_client_script_is_the_one_shipped_with_livereload():
    assert b"LiveReload" in client_script()


def test_every_connected_tab_is_told_to_reload():
    hub = ReloadHub()
    a, b = FakeSocket(), FakeSocket()
    hub._hello(a, 1)
    hub._hello(b, None)
    hub._build = 2
    hub._send_all()
    assert a.sent == ["reload"] and b.sent == ["reload"]
    hub._gone(a)
    hub._send_all()
    assert a.sent == ["reload"] and b.sent == ["reload", "reload"]


def test_a_tab_whose_page_is_older_than_the_last_build_reloads_as_soon_as_it_connects():
    hub = ReloadHub()
    hub.reload(3)                      # no loop bound: only records the build
    old, current, unknown = FakeSocket(), FakeSocket(), FakeSocket()
    hub._hello(old, 2)
    hub._hello(current, 3)
    hub._hello(unknown, None)
    assert (old.sent, current.sent, unknown.sent) == (["reload"], [], [])


def test_the_socket_answers_hello_with_protocol_7_and_passes_on_the_page_build():
    hub = ReloadHub()
    hub.reload(5)
    socket = _Socket.__new__(_Socket)        # no connection: only the message handling
    socket.hub = hub
    sent = []
    socket.write_message = lambda message: sent.append(json.loads(message))
    socket.on_message(json.dumps({"command": "hello", "protocols": [PROTOCOL_7], "snipver": 4}))
    assert sent[0] == {"command": "hello", "protocols": [PROTOCOL_7], "serverName": "showcase"}
    assert sent[1]["command"] == "reload" and sent[1]["path"] == "*"
    socket.on_message("not json")
    socket.on_message(json.dumps({"command": "info", "url": "http://x/"}))
    assert len(sent) == 2
