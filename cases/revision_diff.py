"""What an edit changed, in the site's words: the revisions page's diff between two versions.

A version is the JSON data a Revision keeps (workflow.submission_snapshot). Each field is shown
as the form names it ("Duration (months)", not "Duration months"), its value as the site writes
it (a choice by its label, a number as 35 rather than 35.000, a date as 2 Dec 2026), and only
the fields that changed are listed. Within a field, lines are compared, then the words of a
changed line, with difflib; the template marks removed and added text with <del> and <ins> and
says "removed" / "added" in words for screen readers, so colour is never the only signal.

Pure: model classes are read for their field definitions only, never queried.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import models
from django.template.defaultfilters import date as date_format
from django.utils.text import capfirst

SAME = "same"
REMOVED = "removed"
ADDED = "added"
SKIPPED = "skipped"  # a run of unchanged lines or words left out; `text` says how many

# Unchanged lines kept around a change, and the longest unchanged run of words shown whole.
CONTEXT_LINES = 1
CONTEXT_WORDS = 8
LONGEST_SAME_WORDS = 2 * CONTEXT_WORDS + 4

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, REMOVED, ADDED or SKIPPED
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    lines: tuple[tuple[Piece, ...], ...]


def number(value) -> str:
    """A stored number as a person writes it: 35 and 1.5 (never 35.000 or 1.500), "" for none."""
    if value is None or value == "":
        return ""
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(exact, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _value(field: models.Field, data: dict) -> str:
    value = data.get(field.name)
    if field.is_relation:
        return str(data.get(f"{field.name}_label") or "")
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return date_format(date.fromisoformat(value[:10]), "j M Y")
        except ValueError:
            return value
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        return number(value)
    return str(value)


def version_fields(model, data: dict, labels: dict[str, str]) -> list[tuple[str, str]]:
    """A stored version as (label, plain text) pairs: the form's fields in its order (`labels`,
    name → label as the form shows it), then the kind's related data (its factors, numbers)."""
    fields = []
    concrete = {f.name: f for f in model._meta.concrete_fields}
    for name, label in labels.items():
        field = concrete.get(name)
        if field is None or name not in data:
            continue
        fields.append((label, _value(field, data)))
    # Any field the form does not show (there should be none) keeps its model name.
    for name, field in concrete.items():
        if name in data and name not in labels and field.editable:
            fields.append((capfirst(str(field.verbose_name)), _value(field, data)))
    return fields + model.related_revision_fields(data)


def changes(model, before: dict, after: dict, labels: dict[str, str]) -> list[FieldChange]:
    """The fields that differ between two versions, each with its diff."""
    old = dict(version_fields(model, before, labels))
    new = version_fields(model, after, labels)
    found = []
    for label, text in new:
        previous = old.pop(label, "")
        if previous != text:
            found.append(FieldChange(label, previous, text, diff_text(previous, text)))
    for label, previous in old.items():  # a field that is gone altogether
        if previous:
            found.append(FieldChange(label, previous, "", diff_text(previous, "")))
    return found


def diff_text(before: str, after: str) -> tuple[tuple[Piece, ...], ...]:
    """Line by line, and word by word within a changed line; long unchanged runs are left out
    (a SKIPPED piece says how much)."""
    old_lines, new_lines = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    opcodes = matcher.get_opcodes()
    lines: list[tuple[Piece, ...]] = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            lines.extend(
                _unchanged_lines(old_lines[i1:i2], first=n == 0, last=n == len(opcodes) - 1)
            )
        elif op == "delete":
            lines.extend((Piece(REMOVED, line),) for line in old_lines[i1:i2])
        elif op == "insert":
            lines.extend((Piece(ADDED, line),) for line in new_lines[j1:j2])
        else:
            olds, news = old_lines[i1:i2], new_lines[j1:j2]
            for k in range(max(len(olds), len(news))):
                if k < len(olds) and k < len(news):
                    lines.append(_diff_words(olds[k], news[k]))
                elif k < len(olds):
                    lines.append((Piece(REMOVED, olds[k]),))
                else:
                    lines.append((Piece(ADDED, news[k]),))
    return tuple(lines)


def _unchanged_lines(lines: list[str], *, first: bool, last: bool) -> list[tuple[Piece, ...]]:
    keep_before = 0 if first else CONTEXT_LINES  # after the change above
    keep_after = 0 if last else CONTEXT_LINES  # before the change below
    if len(lines) <= keep_before + keep_after + 1:
        return [(Piece(SAME, line),) for line in lines]
    head = [(Piece(SAME, line),) for line in lines[:keep_before]]
    tail = [(Piece(SAME, line),) for line in lines[len(lines) - keep_after :]]
    skipped = len(lines) - keep_before - keep_after
    note = f"{skipped} unchanged line{'s' if skipped != 1 else ''}"
    return [*head, (Piece(SKIPPED, note),), *tail]


def _diff_words(before: str, after: str) -> tuple[Piece, ...]:
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[Piece] = []
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            pieces.extend(_unchanged_words(old[i1:i2], first=n == 0, last=n == len(opcodes) - 1))
            continue
        if i2 > i1:
            pieces.append(Piece(REMOVED, "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(ADDED, "".join(new[j1:j2])))
    return tuple(_merged(pieces))


def _unchanged_words(tokens: list[str], *, first: bool, last: bool) -> list[Piece]:
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    if len(words) <= LONGEST_SAME_WORDS:
        return [Piece(SAME, "".join(tokens))]
    keep_before = 0 if first else CONTEXT_WORDS
    keep_after = 0 if last else CONTEXT_WORDS
    head_end = words[keep_before] if keep_before < len(words) else len(tokens)
    tail_start = words[len(words) - keep_after] if keep_after else len(tokens)
    skipped = len(words) - keep_before - keep_after
    pieces = []
    if keep_before:
        pieces.append(Piece(SAME, "".join(tokens[:head_end])))
    pieces.append(Piece(SKIPPED, f"{skipped} unchanged words"))
    if keep_after:
        pieces.append(Piece(SAME, " " + "".join(tokens[tail_start:])))
    return pieces


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].kind == piece.kind and piece.kind != SKIPPED:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
