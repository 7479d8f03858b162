"""The assertions, checkpoints and exercise markers that check modules use."""
import numpy as np
import pytest

from grader import answers, checking
from grader.checking import (WrongType, assert_answer, assert_close, assert_equal, checkpoint, exercise,
                             is_mistake, reset_checkpoints)


def failure(function, *args, **kwargs):
    """The message of the AssertionError function(*args, **kwargs) raises."""
    with pytest.raises(AssertionError) as info:
        function(*args, **kwargs)
    return str(info.value)


def test_assert_close_accepts_values_within_tolerance():
    assert_close([1.0, 2.0 + 1e-7], np.array([1.0, 2.0]))
    assert_close(np.float32(0.5), 0.5)


def test_assert_close_names_expected_and_got_shape():
    message = failure(assert_close, np.zeros((4, 3)), np.zeros((3, 4)), what="softmax(X)")
    assert message == "softmax(X): expected shape (3, 4), got shape (4, 3)"


def test_assert_close_reports_max_error_and_first_mismatch():
    got = np.array([[1.0, 2.0], [3.0, 7.0]])
    message = failure(assert_close, got, [[1.0, 2.5], [3.0, 4.0]])
    assert "2 of 4 values differ" in message and "max abs error 3" in message
    assert "first at index (0, 1): expected 2.5, got 2.0" in message


def test_assert_close_rejects_nan_where_a_number_is_expected():
    message = failure(assert_close, [1.0, float("nan")], [1.0, 2.0], what="loss")
    assert message == "loss contains nan at index (1,)"


def test_assert_close_allows_nan_where_nan_is_expected():
    assert_close([1.0, float("nan")], [1.0, float("nan")])


@pytest.mark.parametrize("got", [None, "1.0", {"a": 1}, [[1, 2], [3]]])
def test_assert_close_calls_non_numbers_a_wrong_type(got):
    with pytest.raises(WrongType):
        assert_close(got, [1.0, 2.0])


def test_assert_equal_tells_tuple_from_list():
    assert_equal((3, (4, 5)), (3, (4, 5)))
    assert failure(assert_equal, [3, 4], (3, 4), what="SHAPE") == "SHAPE: expected a tuple, got a list"


def test_assert_equal_names_the_first_differing_item():
    message = failure(assert_equal, ((6, 4), (3, 9)), ((6, 4), (3, 8)), what="CONCAT_SHAPES")
    assert message == "CONCAT_SHAPES[1][1]: expected 8, got 9"


def test_assert_equal_can_keep_the_expected_answer_hidden():
    message = failure(assert_equal, ((6, 4), (3, 9)), ((6, 4), (3, 8)), what="CONCAT_SHAPES", reveal=False)
    assert message == "CONCAT_SHAPES = ((6, 4), (3, 9)) is not the right answer"
    assert "8" not in message


def test_assert_equal_compares_numbers_by_value_but_not_bools_with_ints():
    assert_equal(np.int64(3), 3)
    assert_equal(np.bool_(True), True)
    assert failure(assert_equal, 1, True) == "result: expected True, got 1"


def test_assert_equal_on_arrays_and_dicts():
    assert_equal({"a": np.arange(3)}, {"a": np.arange(3)})
    assert "expected shape (3,)" in failure(assert_equal, {"a": np.arange(4)}, {"a": np.arange(3)})
    assert "expected keys ['a']" in failure(assert_equal, {"b": 1}, {"a": 1})


def test_is_mistake_only_when_wrong_and_like_the_mistake():
    x = np.array([1.0, -2.0])
    assert is_mistake(2 * x, 4 * x, 2 * x)
    assert not is_mistake(4 * x, 4 * x, 2 * x)  # right
    assert not is_mistake(4 * x, 4 * x, 4 * x)  # right, even where the mistake happens to give the same
    assert not is_mistake(3 * x, 4 * x, 2 * x)  # wrong in another way
    assert not is_mistake(2 * x[:1], 4 * x, 2 * x)  # another shape
    assert not is_mistake("2x", 4 * x, 2 * x)  # not numbers


def test_assert_answer_checks_without_revealing():
    digest = answers.digest("ch02.keeps_id", "bcd")
    assert_answer("bcd", digest, "ch02.keeps_id")
    message = failure(assert_answer, "abc", digest, "ch02.keeps_id", what="KEEPS_ID")
    assert message == "KEEPS_ID = 'abc' is not the right answer" and "bcd" not in message


def test_assert_answer_refuses_a_placeholder_digest():
    with pytest.raises(ValueError, match="python -m grader.answers"):
        assert_answer("b", "TODO", "ch02.control_flow_grad")


def test_checkpoints_record_failures_and_let_later_ones_run():
    log = reset_checkpoints()
    with checkpoint("first", 1):
        assert_equal(1, 2)
    with checkpoint("second", 2):
        assert_equal(2, 2)
    assert log.points() == 2 and log.total() == 3
    assert log.failed == [("first", 1, "result: expected 2, got 1")]


def test_checkpoints_let_student_outcomes_through():
    log = reset_checkpoints()
    with pytest.raises(checking.NotAttempted):
        with checkpoint("first", 1):
            raise checking.NotAttempted("stub")
    assert log.total() == 0


@pytest.mark.parametrize("args", [("linreg", 1, "h"), ("ch03.linreg", 0, "h"), ("ch03.linreg", True, "h")])
def test_exercise_rejects_bad_ids_and_points(args):
    with pytest.raises(ValueError):
        exercise(*args)


def test_exercise_marks_the_check():
    mark = exercise("ch03.linreg", 2, "nd.dot(X, w) + b.").mark
    assert mark.name == "exercise"
    assert mark.kwargs == {"id": "ch03.linreg", "points": 2, "hint": "nd.dot(X, w) + b.", "slow": False}
    assert exercise("ch03.train", 3, "Train it.", slow=True).mark.kwargs["slow"] is True
