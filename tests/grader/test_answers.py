"""Salted answer hashes: right answers match in any plain form, nothing readable is stored."""
import numpy as np
import pytest

from grader import answers


def test_digest_is_salted_per_exercise_and_hides_the_value():
    first, second = answers.digest("ch02.keeps_id", "bcd"), answers.digest("ch02.other", "bcd")
    assert first.startswith("sha256:") and first != second and "bcd" not in first


@pytest.mark.parametrize("same", [[[6, 4], [3, 8]], ((6, 4), (3, 8)), np.array([[6, 4], [3, 8]]),
                                  ((6.0, 4), (3, np.int64(8)))])
def test_tuples_lists_arrays_and_whole_floats_hash_alike(same):
    assert answers.matches("ch02.shapes", same, answers.digest("ch02.shapes", ((6, 4), (3, 8))))


def test_strings_are_stripped_but_case_and_order_kept():
    digest = answers.digest("ch02.keeps_id", "bcd")
    assert answers.matches("ch02.keeps_id", " bcd\n", digest)
    assert not answers.matches("ch02.keeps_id", "BCD", digest)
    assert not answers.matches("ch02.keeps_id", "dcb", digest)


def test_bools_never_match_numbers():
    assert not answers.matches("ch02.flag", 1, answers.digest("ch02.flag", True))


def test_decimals_match_within_half_a_unit_of_the_last_place_across_rounding_boundaries():
    digest = answers.digest("ch06.ppl", 1.2345, decimals=3)
    for close in (1.2345, 1.2341, 1.2349, 1.23499, 1.2340001):
        assert answers.matches("ch06.ppl", close, digest, decimals=3), close
    for far in (1.2315, 1.2375, 12.345):
        assert not answers.matches("ch06.ppl", far, digest, decimals=3), far


def test_decimals_apply_to_every_number_of_a_tuple():
    digest = answers.digest("ch02.sum_and_norm", (66.0, 22.4944), decimals=2)
    assert answers.matches("ch02.sum_and_norm", [66, 506 ** 0.5], digest, decimals=2)
    assert not answers.matches("ch02.sum_and_norm", [66, 22.6], digest, decimals=2)


def test_unhashable_answers_simply_do_not_match():
    assert not answers.matches("ch02.keeps_id", object(), answers.digest("ch02.keeps_id", "b"))


def test_command_line_prints_the_digest(capsys):
    answers.main(["ch02.sum_and_norm", "(66.0, 22.494)", "--decimals", "2"])
    assert capsys.readouterr().out.strip() == answers.digest("ch02.sum_and_norm", (66, 22.49), 2)
