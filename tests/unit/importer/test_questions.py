"""The questions `showcase import` asks in a terminal, answered by a script as a person would."""
from __future__ import annotations

from builder.editors.newcase import SiteChoice
from builder.importer.guess import KnownSite
from builder.importer.questions import ask_category, ask_site

A = KnownSite(SiteChoice("a-cun", "甲村", "城关镇"), "村", ("甲村",))
B = KnownSite(SiteChoice("b-shequ", "乙社区"), "社区", ("乙社区",))


class Script:
    def __init__(self, *answers: str):
        self.answers, self.said = list(answers), []

    def ask(self, code, /, **params):
        self.said.append(("ask", code, params))
        return self.answers.pop(0)

    def say(self, code, /, **params):
        self.said.append(("say", code, params))

    def item(self, code, /, **params):
        self.said.append(("item", code, params))

    def gap(self):
        pass


def test_the_sites_the_document_names_are_offered_first_and_a_wrong_answer_is_asked_again():
    talk = Script("9", "1")
    assert ask_site(talk, "标题", [B], [A, B]) is B
    assert talk.said == [
        ("say", "ask_import_site", {"title": "标题"}),
        ("item", "ask_site_choice", {"number": 1, "title": "乙社区", "town": ""}),
        ("item", "ask_site_choice", {"number": 2, "title": "甲村", "town": "城关镇"}),
        ("ask", "ask_number", {}), ("say", "ask_no_such_item", {"answer": "9", "last": 2}), ("ask", "ask_number", {})]


def test_a_site_or_category_may_be_answered_by_its_name():
    assert ask_site(Script("a-cun"), "标题", [], [A, B]) is A
    assert ask_category(Script("社区"), "标题", ("农村", "社区")) == "社区"
    assert ask_category(Script("1"), "标题", ("农村", "社区")) == "农村"
