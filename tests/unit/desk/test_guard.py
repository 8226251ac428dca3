"""builder.desk.guard: who may read and change files through the desk, from headers alone."""
from __future__ import annotations

import pytest

from builder.desk.guard import LOCKOUT, MAX_FAILURES, Guard

LOCAL = Guard("127.0.0.1")
PUBLIC = Guard("0.0.0.0", machine_names=("office-pc",))


def write_headers(guard: Guard, **extra: str) -> dict[str, str]:
    return {"Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000", "X-Showcase-Token": guard.token, **extra}


@pytest.mark.parametrize("host, ok", [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:8000", True), ("app.localhost", True),
    ("evil.example:8000", False), ("192.168.1.20:8000", False), ("", False),
])
def test_on_this_computer_only_the_desk_answers_only_names_of_this_computer(host, ok):
    assert LOCAL.host_ok(host) is ok


@pytest.mark.parametrize("host, ok", [
    ("192.168.1.20:8000", True), ("[fe80::1]:8000", True), ("office-pc:8000", True), ("localhost", True),
    ("evil.example:8000", False), ("192.168.1.20.nip.io:8000", False),
])
def test_on_the_network_an_address_or_this_computers_name_is_taken_and_a_dns_name_pointed_at_us_is_not(host, ok):
    assert PUBLIC.host_ok(host) is ok


def test_a_write_needs_the_token_and_the_desks_own_origin():
    assert LOCAL.may_write(write_headers(LOCAL), None).ok
    assert LOCAL.may_write(write_headers(LOCAL, Origin="http://evil.example"), None).reason == "desk_refused_origin"
    assert LOCAL.may_write(write_headers(LOCAL, Origin="null"), None).reason == "desk_refused_origin"
    assert LOCAL.may_write(write_headers(LOCAL, **{"X-Showcase-Token": "guess"}), None).reason == "desk_refused_token"
    no_token = {k: v for k, v in write_headers(LOCAL).items() if k != "X-Showcase-Token"}
    assert LOCAL.may_write(no_token, None).status == 403


def test_without_an_origin_header_the_browsers_fetch_site_must_say_same_origin():
    headers = {k: v for k, v in write_headers(LOCAL).items() if k != "Origin"}
    assert not LOCAL.may_write(headers, None).ok
    assert LOCAL.may_write({**headers, "Sec-Fetch-Site": "same-origin"}, None).ok
    assert not LOCAL.may_write({**headers, "Sec-Fetch-Site": "cross-site"}, None).ok


def test_each_run_has_its_own_token():
    assert Guard("127.0.0.1").token != Guard("127.0.0.1").token


def test_on_this_computer_no_code_is_asked():
    assert LOCAL.code is None and LOCAL.signed_in(None)


def test_on_the_network_reads_and_writes_need_the_access_code():
    guard = Guard("0.0.0.0", machine_names=())
    headers = {**write_headers(guard), "Host": "192.168.1.20:8000", "Origin": "http://192.168.1.20:8000"}
    assert guard.code is not None and len(guard.code) == 6 and guard.code.isdigit()
    assert guard.may_read(headers, None).status == 401
    assert guard.may_write(headers, None).reason == "desk_refused_code"
    session, _ = guard.login(guard.code)
    assert guard.may_read(headers, session).ok and guard.may_write(headers, session).ok
    assert not guard.may_write(headers, "forged-session").ok


def test_wrong_codes_in_a_row_make_the_code_form_wait():
    guard = Guard("0.0.0.0", machine_names=())
    wrong = "000000" if guard.code != "000000" else "111111"
    for _ in range(MAX_FAILURES):
        assert guard.login(wrong, now=100.0) == (None, 0.0)
    session, wait = guard.login(guard.code, now=101.0)
    assert session is None and wait == pytest.approx(LOCKOUT - 1)
    session, _ = guard.login(guard.code, now=100.0 + LOCKOUT + 1)
    assert session is not None


def test_the_desks_data_is_not_given_to_a_page_of_another_site_that_asks_for_it():
    headers = {"Host": "127.0.0.1:8000"}
    assert LOCAL.may_read(headers, None).ok                                       # no such header: an older browser
    assert LOCAL.may_read({**headers, "Sec-Fetch-Site": "same-origin"}, None).ok
    assert LOCAL.may_read({**headers, "Sec-Fetch-Site": "none"}, None).ok          # typed in the address bar
    assert LOCAL.may_read({**headers, "Sec-Fetch-Site": "cross-site"}, None).reason == "desk_refused_origin"
    assert not LOCAL.may_read({**headers, "Sec-Fetch-Site": "same-site"}, None).ok
