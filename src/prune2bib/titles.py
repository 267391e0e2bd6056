"""Titles as a list writes them: its slips, and the names whose capitals must survive.

Stage: between `readme` and resolution (`normalised_title` cleans a row's title before it is
matched and exported) and for `check` (`title_errata` reports what was cleaned); the BibTeX
writer protects the names of `proper_nouns()` (data/proper-nouns.txt). Pure: titles in, titles
out. What counts as a slip is decided from the list's own text, never from a dictionary:

- `space-before-punctuation`: 'DepthFL : Depthwise' -> 'DepthFL: Depthwise';
- `glued-words`: two words run together where the list shows each word on its own elsewhere
  ('andArchitecture' -> 'and Architecture'; inside a hyphenated word, a second capitalised word
  that the list shows on its own: 'Data-FreeStructured' -> 'Data-Free Structured'). A word the
  list writes the same way twice, a method name before the colon ('MetaPruning: …'), a title
  of one word ('TensorNetwork') and the names of data/proper-nouns.txt are never split;
- `title-case`: a word written in plain case where the list writes it in mixed case more often
  ('Automl' -> 'AutoML'), and a name of data/proper-nouns.txt written in lower case
  ('bayesian' -> 'Bayesian').
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property, lru_cache
from itertools import chain, repeat
from typing import Iterable

from msgspec import Struct, field

from prune2bib import datafiles
from prune2bib.readme import repaired_title

_EDGE = "\"'()[]{}:;,.!?“”‘’"  # stripped from a word's ends
_SPACE_BEFORE = re.compile(r"(?<=[^\W_])[ \t]+([:;,?!])(?=\s|$)")
_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # where a capitalised word starts inside a word
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_JOINERS = re.compile(r"([-/])")
_CAMEL = re.compile(r"[a-z][A-Z]")  # AutoML, ResNet (not Fine-Tuning, not CNN)


class Slip(Struct, frozen=True):
    code: str  # 'space-before-punctuation' | 'glued-words' | 'title-case'
    found: str  # as the list writes it
    fixed: str  # as it is exported

    def message(self) -> str:
        what = {
            "space-before-punctuation": "a space before punctuation",
            "glued-words": "two words run together",
            "title-case": "a word in the wrong case",
        }[self.code]
        return f"{what}: {self.found!r} (exported as {self.fixed!r})"


UNCHANGED = ("", "", None)  # a piece of a title exported as the list has it (`Vocabulary.fixed_pieces`)


class Vocabulary(Struct, frozen=True, dict=True):  # dict: its cached lookups
    """The words of a list's titles: exact forms (counted) and, lower-cased, the words that stand
    alone (a part of a hyphenated word, 'Hyper' of 'Hyper-Parameter', is no evidence)."""

    forms: Counter = field(default_factory=Counter)  # 'AutoML' -> 2
    words: frozenset = frozenset()  # 'architecture', 'and', ... (whole words, lower case)

    @classmethod
    def of(cls, titles: Iterable[str]) -> "Vocabulary":
        forms = Counter(chain.from_iterable(map(_words, titles)))
        return cls(forms, frozenset(map(str.casefold, forms)))

    def spellings(self, word: str) -> list[str]:
        return [form for form in self.by_fold.get(word.casefold(), ()) if form != word]

    def fixed(self, word: str) -> tuple[str, str]:
        """(the word as exported, the code of its slip or ''): worked out once per distinct word
        (a list of 2,780 titles has ~28,000 words, most of them repeats: 'Pruning', 'Neural')."""
        known = self._fixed.get(word)
        if known is None:
            known = self._fixed[word] = _fixed_word(word, self)
        return known

    def fixed_pieces(self, pieces: list[str]) -> list[tuple[str, str, Slip | None]]:
        """For each space-free piece of a title ('(Automl),'): `UNCHANGED`, or (its word 'Automl',
        the piece as exported '(AutoML),', the slip). Each distinct piece is worked out once, as
        `fixed` is per word; a title whose pieces are all known costs one `map`, not a call each."""
        found = list(map(self._pieces.get, pieces))
        if None in found:
            found = [known or self._fixed_piece(piece) for known, piece in zip(found, pieces)]
        return found

    def _fixed_piece(self, piece: str) -> tuple[str, str, Slip | None]:
        core = piece.strip(_EDGE)
        new, code = self.fixed(core) if core else (core, "")
        known = self._pieces[piece] = (core, piece.replace(core, new, 1), Slip(code, core, new)) if code else UNCHANGED
        return known

    @cached_property
    def _fixed(self) -> dict[str, tuple[str, str]]:
        return {}

    @cached_property
    def _pieces(self) -> dict[str, tuple[str, str, Slip | None]]:
        return {}

    @cached_property
    def by_fold(self) -> dict[str, list[str]]:
        """The forms by their case-folded spelling, built once: a lookup per word instead of a scan
        of the whole vocabulary (that scan was most of an export's CPU time)."""
        by_fold: dict[str, list[str]] = {}
        for form in self.forms:
            by_fold.setdefault(form.casefold(), []).append(form)
        return by_fold


def _words(title: str) -> list[str]:
    return list(filter(None, map(str.strip, title.split(), repeat(_EDGE))))


@lru_cache(maxsize=1)
def proper_nouns() -> tuple[frozenset[str], tuple[str, ...]]:
    """(single-word names, phrases) from data/proper-nouns.txt."""
    text = datafiles.read_text("proper-nouns.txt")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    words = frozenset(n for n in names if not re.search(r"[\s-]", n))
    phrases = tuple(sorted((n for n in names if re.search(r"[\s-]", n)), key=len, reverse=True))
    return words, phrases


@lru_cache(maxsize=1)
def _proper_nouns_by_fold() -> dict[str, tuple[str, ...]]:
    """The single-word names by their case-folded spelling (in sorted order, so a choice between
    two is the same on every run): one lookup per word instead of a scan of the whole list."""
    words, _ = proper_nouns()
    by_fold: dict[str, list[str]] = {}
    for name in sorted(words):
        by_fold.setdefault(name.casefold(), []).append(name)
    return {fold: tuple(names) for fold, names in by_fold.items()}


def is_proper_noun(word: str) -> bool:
    """'Hessian', 'Gaussians' (a listed name, or its plural)."""
    words, _ = proper_nouns()
    return word in words or (word.endswith("s") and word[:-1] in words)


def phrase_spans(title: str) -> list[tuple[int, int]]:
    """Where the listed multi-word names occur in `title` (as written, case-sensitive)."""
    _, phrases = proper_nouns()
    # A substring test first: most titles hold none of the names, and it costs no regex pass.
    return [m.span() for phrase in phrases if phrase in title for m in _whole_words(phrase).finditer(title)]


@lru_cache(maxsize=None)
def _whole_words(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def title_slips(title: str, vocabulary: Vocabulary) -> list[Slip]:
    """The slips of one title, in the order they are fixed."""
    return _fix(title, vocabulary)[1]


def normalised_title(title: str, vocabulary: Vocabulary) -> str:
    """The title with its slips fixed (see the module docstring)."""
    return _fix(title, vocabulary)[0]


def _fix(title: str, vocabulary: Vocabulary) -> tuple[str, list[Slip]]:
    slips = []
    if _SPACE_BEFORE.search(title):  # (rare: one search for most titles)
        slips = [Slip("space-before-punctuation", m.group(0).join(_context(title, m)), m.group(1).join(_context(title, m)))
                 for m in _SPACE_BEFORE.finditer(title)]  # fmt: skip
        title = _SPACE_BEFORE.sub(r"\1", title)
    words = title.split(" ")
    found = vocabulary.fixed_pieces(words)
    if found.count(UNCHANGED) != len(found):  # a piece with a slip (in a few titles)
        name = _name_before_colon(title)
        for index, (core, new, slip) in enumerate(found):
            if slip is not None and core != name:  # (the name before the colon is never changed)
                slips.append(slip)
                words[index] = new
        title = " ".join(words)
    title, phrase_slips = _recased_phrases(title)
    return title, slips + phrase_slips


def _fixed_word(word: str, vocabulary: Vocabulary) -> tuple[str, str]:
    if is_proper_noun(word):
        return word, ""
    unglued = _unglued(word, vocabulary)
    if unglued != word:
        return unglued, "glued-words"
    recased = _recased(word, vocabulary)
    return recased, "title-case" if recased != word else ""


def _context(title: str, match: re.Match) -> tuple[str, str]:
    """The words either side of a space-before-punctuation slip ('DepthFL', ' Depthwise')."""
    before = title[: match.start()].rsplit(" ", 1)[-1]
    after = title[match.end() :].split(" ", 2)
    return before, " ".join(after[:2]) if len(after) > 1 else "".join(after)


def _name_before_colon(title: str) -> str:
    """The one word a title starts with before its colon ('MetaPruning: …'), or the whole title
    when it is one word (a library's or a tool's name: 'TensorNetwork'): a name, never split."""
    head = title.partition(":")[0].strip()
    return head if " " not in head else ""


def _unglued(word: str, vocabulary: Vocabulary) -> str:
    if vocabulary.forms[word] > 1 or any(map(str.isdigit, word)):
        return word
    if not _HUMP.search(word):
        return word  # no capital after a small letter: nothing glued (most words)
    pieces = _JOINERS.split(word)
    for index in range(0, len(pieces), 2):
        humps = [m.start() for m in _HUMP.finditer(pieces[index])]
        if len(humps) != 1:
            continue
        left, right = pieces[index][: humps[0]], pieces[index][humps[0] :]
        after_hyphen = index > 0 and pieces[index - 1] == "-" and _CAPITALISED.fullmatch(left)
        shown = right.casefold() in vocabulary.words and len(right) >= 3
        if shown and (after_hyphen or (left.casefold() in vocabulary.words and len(left) >= 2)):
            pieces[index] = f"{left} {right}"
    return "".join(pieces)


def _recased(word: str, vocabulary: Vocabulary) -> str:
    if any(map(str.isupper, word[1:])):  # (map: no Python frame per letter, for every word of every title)
        return word  # mixed case or an acronym: written on purpose
    fold = word.casefold()
    names, forms = _proper_nouns_by_fold().get(fold), vocabulary.by_fold.get(fold)
    if not names and (not forms or forms == [word]):
        return word  # no listed name and no other spelling in the list: most words
    named = [n for n in names or () if n != word]
    if named and (word.islower() or _CAMEL.search(named[0])) and len(word) > 3:
        return named[0]  # 'bayesian' -> 'Bayesian', 'Automl' -> 'AutoML'
    camel = [form for form in vocabulary.spellings(word) if _CAMEL.search(form)]
    if len(camel) == 1 and vocabulary.forms[camel[0]] > vocabulary.forms[word]:
        return camel[0]  # the list writes it so more often
    return word


def _recased_phrases(title: str) -> tuple[str, list[Slip]]:
    slips = []
    for phrase, lowered in _lowered_phrases():
        if lowered not in title:
            continue  # (the same answer, without two regex passes per listed name for every title)
        pattern = _whole_words(lowered)
        slips += [Slip("title-case", match.group(0), phrase) for match in pattern.finditer(title)]
        title = pattern.sub(phrase, title)
    return title, slips


@lru_cache(maxsize=1)
def _lowered_phrases() -> tuple[tuple[str, str], ...]:
    return tuple((phrase, phrase.lower()) for phrase in proper_nouns()[1])


def row_title(entry, vocabulary: Vocabulary) -> str:
    """The title a row is resolved and exported under: pasted-twice titles and stray link words
    repaired (`readme.repaired_title`), then this module's slips fixed."""
    return normalised_title(repaired_title(entry.title), vocabulary)


def row_titles(entries) -> list[str]:
    """`row_title` of every row, judged against the vocabulary of them all (`list_vocabulary`),
    each title repaired once."""
    repaired = [repaired_title(e.title) for e in entries]
    vocabulary = Vocabulary.of(repaired)
    return [normalised_title(title, vocabulary) for title in repaired]


def list_vocabulary(entries) -> Vocabulary:
    """The vocabulary of a list's rows (their titles as exported: pasted-twice titles repaired)."""
    return Vocabulary.of(repaired_title(e.title) for e in entries)


def title_errata(entries) -> list[tuple[int, str, str]]:
    """(line, code, message) for every slip of every row's title (for `check`)."""
    vocabulary = list_vocabulary(entries)
    return [(e.line, s.code, s.message()) for e in entries for s in title_slips(repaired_title(e.title), vocabulary)]
