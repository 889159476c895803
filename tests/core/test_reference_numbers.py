import random
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core import reference_numbers as refs
from civicdesk.core.reference_numbers import (
    ALPHABET,
    LOOK_ALIKES,
    InvalidReferenceError,
    reference_check_char,
    reference_generate,
    reference_is_valid,
    reference_normalize,
    reference_validate,
)

SEEDS = st.integers(min_value=0, max_value=2**32)
BODIES = st.text(alphabet=ALPHABET, min_size=1, max_size=24)
SHAPE = re.compile(rf"CD-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{3}}")


def test_alphabet() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 26
    assert not set(ALPHABET) & set(LOOK_ALIKES)
    assert set(ALPHABET) | set(LOOK_ALIKES) == set(string.ascii_uppercase + string.digits)


def test_generate_shape_and_validity() -> None:
    rng = random.Random(2015)
    value = reference_generate("CD", rng)
    assert SHAPE.fullmatch(value)
    assert reference_is_valid(value)
    assert reference_validate(value) == value
    assert reference_check_char(value[:-1]) == value[-1]
    assert reference_generate("CD", random.Random(2015)) == value
    assert SHAPE.fullmatch(reference_generate("CD"))  # secure default generator
    assert re.fullmatch(rf"Q-[{ALPHABET}]{{4}}-[{ALPHABET}]", reference_generate("Q", rng, length=4))


def test_typed_forms_are_accepted() -> None:
    value = reference_generate("CD", random.Random(1))
    body = value.replace("-", "")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in body.lower())
    for typed in (value.lower(), body, " ".join(body), f"  {value}  ", full_width, value.replace("-", "－")):
        assert reference_normalize(typed) == value
        assert reference_is_valid(typed)


def test_look_alikes_are_rejected_with_a_clear_error() -> None:
    value = reference_generate("CD", random.Random(1))
    typed = value[:3] + "O" + value[4:]
    with pytest.raises(InvalidReferenceError, match=r"'O' .* never used in reference numbers"):
        reference_normalize(typed)
    assert not reference_is_valid(typed)
    with pytest.raises(InvalidReferenceError, match="unexpected character '#'"):
        reference_normalize("CD-7KQM-#XRT-WPC")


def test_other_errors() -> None:
    with pytest.raises(InvalidReferenceError, match="empty"):
        reference_normalize(" - ")
    with pytest.raises(InvalidReferenceError, match="too short"):
        reference_normalize("CD3")
    with pytest.raises(InvalidReferenceError, match="typing error"):
        reference_validate("CD-3333-3333-333")
    with pytest.raises(ValueError, match="prefix must have"):
        reference_generate("")
    with pytest.raises(InvalidReferenceError, match="prefix"):
        reference_generate("CB")
    with pytest.raises(ValueError, match="length"):
        reference_generate("CD", length=0)
    with pytest.raises(InvalidReferenceError, match="empty"):
        reference_check_char("")
    assert not reference_is_valid(None)  # type: ignore[arg-type]


def test_check_group_tables_prove_detection() -> None:
    # Exhaustive proof: the operation is a group (Latin square with identity 0) and σ is a
    # permutation, so a substitution always changes the product; σ is anti-symmetric
    # (x·σ(y) ≠ y·σ(x) for x ≠ y), so swapping neighbours always changes it too.
    n = len(ALPHABET)
    mul = refs._MUL
    assert all(sorted(row) == list(range(n)) for row in mul)
    assert all(sorted(mul[x][y] for x in range(n)) == list(range(n)) for y in range(n))
    assert all(mul[0][x] == x == mul[x][0] for x in range(n))
    for power in refs._POW:
        assert sorted(power) == list(range(n))
    assert refs._POW[1][refs._POW[-1][0]] == refs._POW[0][0]  # σ^26 = id, so positions wrap safely
    sigma = refs._POW[1]
    assert all(mul[x][sigma[y]] != mul[y][sigma[x]] for x in range(n) for y in range(n) if x != y)


@given(SEEDS, st.integers(min_value=1, max_value=16))
def test_generated_references_validate(seed: int, length: int) -> None:
    value = reference_generate("CD", random.Random(seed), length=length)
    assert reference_is_valid(value)
    assert reference_normalize(value.replace("-", "").lower()) == value


@given(BODIES)
def test_every_single_substitution_is_detected(body: str) -> None:
    full = "CD" + body + reference_check_char("CD" + body)
    for position in range(len(full)):
        for replacement in ALPHABET:
            if replacement != full[position]:
                assert not reference_is_valid(full[:position] + replacement + full[position + 1 :])


@given(BODIES)
def test_every_adjacent_transposition_is_detected(body: str) -> None:
    full = "CD" + body + reference_check_char("CD" + body)
    assert reference_is_valid(full)
    for i in range(len(full) - 1):
        if full[i] != full[i + 1]:
            swapped = full[:i] + full[i + 1] + full[i] + full[i + 2 :]
            assert not reference_is_valid(swapped)


@given(st.text(max_size=30))
def test_is_valid_never_raises(text: str) -> None:
    assert reference_is_valid(text) in (True, False)


def test_documented_example_is_valid() -> None:
    assert reference_validate("cd 7kqm 4xrt wpe") == "CD-7KQM-4XRT-WPE"
    assert not reference_is_valid("CD-7KQM-4XRT-PWE")
