import datetime as dt
import random

import pytest

from builder.model import Case, Document
from builder.render.related import RelatedIndex, related_cases_pairwise


def make_case(slug: str, site: str, tags: tuple[str, ...], day: int, title: str | None = None) -> Case:
    doc = Document(source=f"content/cases/{slug}/index.md", slug=slug, title=title or slug)
    return Case(doc=doc, site=site, date=dt.date(2024, 1, day), category="农村", tags=tags)


def test_related_puts_the_same_site_first_then_shared_tags_then_newest():
    cases = [make_case("a", "x", ("党建", "养老"), 5), make_case("b", "y", ("党建", "养老"), 4),
             make_case("c", "x", (), 3), make_case("d", "z", ("党建",), 6), make_case("e", "z", (), 7)]
    related = RelatedIndex(cases).related(cases[0])
    assert [c.slug for c in related] == ["c", "b", "d"]      # e shares nothing: left out


def test_related_never_lists_the_case_itself_and_respects_the_limit():
    cases = [make_case(f"c{i}", "x", ("t",), 1 + i) for i in range(10)]
    index = RelatedIndex(cases)
    for case in cases:
        related = index.related(case)
        assert case not in related and len(related) == 4
    assert index.related(cases[0], limit=0) == ()


def random_cases(rng: random.Random, fewest: int = 1) -> tuple[str, list[Case]]:
    """(the tags used, up to 80 cases on three sites with a few of them, on three days, titles often alike)."""
    tags = "甲乙丙丁戊己"[: rng.randint(1, 6)]
    return tags, [make_case(f"c{i:03d}", rng.choice("xyz"), tuple(rng.sample(tags, rng.randint(0, len(tags)))),
                            rng.randint(1, 3), title=rng.choice(["同名", "另一个", f"t{i}"]))
                  for i in range(rng.randint(fewest, 80))]


@pytest.mark.parametrize("seed", range(40))
def test_related_index_gives_exactly_the_pairwise_result(seed):
    tags, cases = random_cases(random.Random(seed))
    index = RelatedIndex(cases)
    outsider = make_case("zzz", "x", tuple(tags[:2]), 2)     # a case not in the list is scored too
    for case in cases + [outsider]:
        for limit in (1, 4, 9):
            assert index.related(case, limit) == related_cases_pairwise(case, cases, limit)


@pytest.mark.parametrize("seed", range(40))
def test_after_titles_change_the_saved_positions_brought_up_to_date_are_those_made_afresh(seed):
    import dataclasses
    from builder.render import related as related_module
    rng = random.Random(seed)
    _, cases = random_cases(rng, fewest=2)
    saved = related_module.related_positions(cases, None)
    for _ in range(3):
        for n in rng.sample(range(len(cases)), rng.randint(1, min(3, len(cases)))):
            doc = dataclasses.replace(cases[n].doc, title=rng.choice(["同名", "另一个", "新", f"t{rng.randint(0, 99)}"]))
            cases[n] = dataclasses.replace(cases[n], doc=doc)
        brought = related_module.related_positions(cases, saved)
        assert brought == related_module.related_positions(cases, None)
        saved = brought


def test_only_the_cases_that_share_something_with_a_retitled_case_are_looked_at_again(monkeypatch):
    import dataclasses
    from builder.render import related as related_module
    cases = [make_case("a", "x", ("甲",), 5), make_case("b", "x", (), 4), make_case("c", "y", ("甲",), 3),
             make_case("d", "z", ("乙",), 2), make_case("e", "z", ("乙",), 1)]
    saved = related_module.related_positions(cases, None)
    asked: list[str] = []
    real = RelatedIndex.related
    monkeypatch.setattr(RelatedIndex, "related", lambda self, case, limit=4: asked.append(case.slug) or real(self, case, limit))
    cases[0] = dataclasses.replace(cases[0], doc=dataclasses.replace(cases[0].doc, title="新标题"))
    related_module.related_positions(cases, saved)
    assert sorted(asked) == ["a", "b", "c"]             # d and e share nothing with a
    saved = related_module.related_positions(cases, None)
    asked.clear()
    cases[3] = dataclasses.replace(cases[3], tags=("甲",))  # a tag changed: every case again
    related_module.related_positions(cases, saved)
    assert sorted(asked) == ["a", "b", "c", "d", "e"]
