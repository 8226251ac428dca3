"""Related cases for every case page, without comparing every pair of cases.

A case's score for another is 3 if both belong to the same model site, plus the number of tags
they share; the related cases are the best `limit` by (score, newest, title), ties kept in the
order of `model.cases`. Comparing every pair is O(cases²): 25 million comparisons at 5,000 cases.
Here each tag and each model site is a bitset over the positions of the cases (a Python int),
so "cases sharing at least k of my tags" is a handful of whole-bitset operations, and only the
few cases that can make the top `limit` are looked at one by one. Same result as the pairwise
definition in `related_cases_pairwise`, which the tests compare it with.
"""
from __future__ import annotations

from typing import Sequence

from builder.model import Case

SAME_SITE = 3


def _key(case: Case, other: Case, position: int) -> tuple:
    score = (SAME_SITE if other.site == case.site else 0) + len(set(case.tags) & set(other.tags))
    return (-score, -other.date.toordinal(), other.title, position)


def related_cases_pairwise(case: Case, cases: Sequence[Case], limit: int = 4) -> tuple[Case, ...]:
    """The definition: score every other case."""
    scored = []
    for position, other in enumerate(cases):
        if other.slug == case.slug:
            continue
        key = _key(case, other, position)
        if key[0]:
            scored.append((key, other))
    return tuple(other for _, other in sorted(scored, key=lambda item: item[0])[:limit])


class RelatedIndex:
    """Bitsets of `cases` by model site, by tag and by slug; build once, ask for each case."""

    def __init__(self, cases: Sequence[Case]):
        self.cases = cases
        self.all = (1 << len(cases)) - 1
        self.by_site: dict[str, int] = {}
        self.by_tag: dict[str, int] = {}
        self.by_slug: dict[str, int] = {}
        for position, case in enumerate(cases):
            bit = 1 << position
            self.by_site[case.site] = self.by_site.get(case.site, 0) | bit
            self.by_slug[case.slug] = self.by_slug.get(case.slug, 0) | bit
            for tag in set(case.tags):
                self.by_tag[tag] = self.by_tag.get(tag, 0) | bit

    def related(self, case: Case, limit: int = 4) -> tuple[Case, ...]:
        if limit <= 0:
            return ()
        tags = [self.by_tag.get(tag, 0) for tag in set(case.tags)]
        # at_least[k]: the cases that share at least k of this case's tags.
        at_least = [self.all] + [0] * len(tags)
        for mask in tags:
            for k in range(len(tags), 0, -1):
                at_least[k] |= at_least[k - 1] & mask
        site = self.by_site.get(case.site, 0)
        others = self.all & ~self.by_slug.get(case.slug, 0)

        def scoring_at_least(score: int) -> int:
            same = at_least[max(score - SAME_SITE, 0)] if score - SAME_SITE <= len(tags) else 0
            other = at_least[score] if score <= len(tags) else 0
            return ((site & same) | (~site & other)) & others

        # The highest score whose candidates (score or better) fill the list: no case below it
        # can be among the best `limit`. If none does, everything with a score of 1 or more.
        candidates = 0
        for score in range(SAME_SITE + len(tags), 0, -1):
            candidates = scoring_at_least(score)
            if candidates.bit_count() >= limit:
                break
        keys = []
        while candidates:
            low = candidates & -candidates
            position = low.bit_length() - 1
            keys.append(_key(case, self.cases[position], position))
            candidates ^= low
        keys.sort()
        return tuple(self.cases[key[-1]] for key in keys[:limit])


def related_inputs(cases: Sequence[Case]) -> tuple[tuple, ...]:
    """Everything RelatedIndex reads of `cases`, in order: the same inputs, the same related
    cases for every case."""
    return tuple((c.site, tuple(c.tags), c.date.toordinal(), c.title, c.slug) for c in cases)


def related_positions(cases: Sequence[Case], saved: tuple | None, limit: int = 4) -> tuple[str, tuple, tuple]:
    """(digest of related_inputs, each case's related cases as positions in `cases`, the inputs):
    the saved ones when the inputs are the same as when they were made (a rebuild after a body
    edit); after a few titles changed, with every case in its place, only the cases that share
    a model site or a tag with one of them are looked at again (the others cannot have it among
    their candidates, and nothing else they are ranked by changed); else all made again."""
    import hashlib
    inputs = related_inputs(cases)
    digest = hashlib.sha256(repr(inputs).encode("utf-8", "surrogatepass")).hexdigest()
    if saved is not None and saved[0] == digest and len(saved[1]) == len(cases):
        return saved
    index = RelatedIndex(cases)
    position = {id(case): n for n, case in enumerate(cases)}

    def made(case: Case) -> tuple[int, ...]:
        return tuple(position[id(r)] for r in index.related(case, limit))
    retitled = _retitled(saved, inputs)
    if retitled is None:
        return digest, tuple(made(case) for case in cases), inputs
    affected = 0
    for n in retitled:
        case = cases[n]
        affected |= index.by_site.get(case.site, 0) | (1 << n)
        for tag in case.tags:
            affected |= index.by_tag.get(tag, 0)
    positions = list(saved[1])
    while affected:
        low = affected & -affected
        n = low.bit_length() - 1
        positions[n] = made(cases[n])
        affected ^= low
    return digest, tuple(positions), inputs


RETITLED_AT_MOST = 8        # more changed cases than this: everything is made again


def _retitled(saved: tuple | None, inputs: tuple[tuple, ...]) -> list[int] | None:
    """The positions of the cases whose title alone changed since `saved` was made, when that is
    all that changed (and at most RETITLED_AT_MOST of them), else None."""
    if saved is None or len(saved) != 3 or len(saved[1]) != len(inputs) or len(saved[2]) != len(inputs):
        return None
    changed = [n for n, (old, new) in enumerate(zip(saved[2], inputs)) if old != new]
    if len(changed) > RETITLED_AT_MOST:
        return None
    for n in changed:
        old, new = saved[2][n], inputs[n]
        if old[:3] != new[:3] or old[4] != new[4]:
            return None
    return changed
