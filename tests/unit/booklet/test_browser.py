"""Finding the browser that prints the PDF: Edge or Chrome where Windows installs them, the
first of chromium, google-chrome … on a Linux PATH, or the one the user names."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.booklet.browser import Browser, BrowserError, PrintOptions, candidates, find_browser


def program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def test_on_windows_edge_is_found_where_it_installs_itself(tmp_path):
    edge = program(tmp_path / "x86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    env = {"PROGRAMFILES(X86)": str(tmp_path / "x86"), "PROGRAMFILES": str(tmp_path / "pf"),
           "LOCALAPPDATA": str(tmp_path / "local")}
    assert find_browser(environ=env, platform="win32") == edge


def test_on_windows_a_chrome_installed_for_one_user_is_found_when_there_is_no_edge(tmp_path):
    chrome = program(tmp_path / "local" / "Google" / "Chrome" / "Application" / "chrome.exe")
    env = {"PROGRAMFILES(X86)": str(tmp_path / "x86"), "PROGRAMFILES": str(tmp_path / "pf"),
           "LOCALAPPDATA": str(tmp_path / "local")}
    assert find_browser(environ=env, platform="win32") == chrome


def test_windows_install_places_are_edge_first_then_chrome():
    env = {"PROGRAMFILES(X86)": r"C:\Program Files (x86)", "PROGRAMFILES": r"C:\Program Files", "LOCALAPPDATA": r"C:\U\AppData\Local"}
    names = [p.name for p in candidates(env, "win32")]
    assert names[:2] == ["msedge.exe", "msedge.exe"] and "chrome.exe" in names


def test_a_browser_named_by_the_user_or_the_environment_comes_first(tmp_path):
    mine = program(tmp_path / "my-browser.exe")
    assert find_browser(str(mine), environ={}, platform="linux") == mine
    assert find_browser(environ={"SHOWCASE_BROWSER": str(mine)}, platform="linux") == mine


def test_a_named_browser_that_does_not_exist_is_not_replaced_by_another(tmp_path):
    assert find_browser(str(tmp_path / "nothing.exe"), environ={}, platform="linux") is None


def test_on_linux_the_path_is_searched(tmp_path, monkeypatch):
    chromium = program(tmp_path / "bin" / "chromium")
    chromium.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert find_browser(environ={}, platform="linux") == chromium


def test_with_no_browser_anywhere_there_is_none(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser(environ={}, platform="linux") is None


def test_a_program_that_is_not_a_browser_is_reported_as_not_starting(tmp_path):
    fake = tmp_path / "not-a-browser"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    if os.name == "nt":
        pytest.skip("a shell script is not a program on Windows")
    with pytest.raises(BrowserError) as caught:
        with Browser(fake):
            pass
    assert caught.value.reason == "booklet_browser_start"


def test_the_real_browser_prints_a_page_with_its_headings_as_bookmarks(browser_path, tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><h1>第一章</h1><p>正文</p>'
                    '<h1 style="break-before: page">第二章</h1>', encoding="utf-8")
    with Browser(browser_path) as chromium:
        data = chromium.print_pdf(page.as_uri(), PrintOptions(footer='<span class="pageNumber"></span>'))
    from pypdf import PdfReader
    import io
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("第一章", 0), ("第二章", 1)]
