"""The lyrics and Time Machine loaders: where they look, what they return, and the missing-file error."""
import json
import os
import random
import subprocess
import sys
import zipfile

import pytest

from d2lzh.data import store, text

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def lyrics_like(num_chars=12000, seed=0):
    """Chinese-like text with \\n and \\r\\n line breaks (no real lyrics)."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + k) for k in range(60)] + ["爱", "你", " "]
    lines = []
    while sum(len(line) + 2 for line in lines) < num_chars:
        lines.append("".join(rng.choice(chars) for _ in range(rng.randint(3, 15))))
    return "\n".join(lines[: len(lines) // 2]) + "\r\n" + "\r\n".join(lines[len(lines) // 2:])


def write_lyrics(folder, content):
    """Write ``folder/jaychou_lyrics.txt.zip`` holding ``jaychou_lyrics.txt`` in UTF-8, like the book's file."""
    os.makedirs(folder, exist_ok=True)
    with zipfile.ZipFile(os.path.join(str(folder), "jaychou_lyrics.txt.zip"), "w") as archive:
        archive.writestr("jaychou_lyrics.txt", content.encode("utf-8"))


def write_time_machine(folder, content):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(str(folder), "timemachine.txt"), "w", encoding="utf-8") as f:
        f.write(content)


def assert_consistent(result, expected_text):
    """The 4-tuple indexes exactly ``expected_text`` with a sorted, bijective vocabulary."""
    corpus_indices, char_to_idx, idx_to_char, vocab_size = result
    assert "".join(idx_to_char[i] for i in corpus_indices) == expected_text
    assert idx_to_char == sorted(set(expected_text))
    assert vocab_size == len(idx_to_char) == len(char_to_idx)
    assert all(char_to_idx[c] == i for i, c in enumerate(idx_to_char))


def test_lyrics_first_10000_chars_with_line_breaks_as_spaces(tmp_path):
    content = lyrics_like()
    write_lyrics(tmp_path, content)
    result = text.load_data_jay_lyrics(root=str(tmp_path))
    expected = content.replace("\r\n", "  ").replace("\n", " ")[:10000]
    assert len(result[0]) == 10000
    assert "\n" not in result[2] and "\r" not in result[2]
    assert_consistent(result, expected)


def test_lyrics_found_through_env_and_the_books_data_folder(tmp_path, monkeypatch):
    write_lyrics(tmp_path / "env", "甲乙\n丙")
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "env"))
    assert text.load_data_jay_lyrics()[2] == sorted("甲乙 丙")
    monkeypatch.delenv(store.DATA_ENV)
    write_lyrics(tmp_path / "data", "丁丁")
    (tmp_path / "chapter_rnn").mkdir()
    monkeypatch.chdir(tmp_path / "chapter_rnn")
    assert text.load_data_jay_lyrics()[0] == [0, 0]


def test_missing_lyrics_raise_one_clear_error(tmp_path):
    with pytest.raises(store.DataNotFoundError) as info:
        text.load_data_jay_lyrics(root=str(tmp_path / "nowhere"))
    message = str(info.value)
    assert isinstance(info.value, FileNotFoundError)
    assert "jaychou_lyrics.txt.zip" in message and str(tmp_path / "nowhere") in message
    assert "d2l-zh" in message and "v1" in message and "root=" in message


def test_time_machine_is_lowercased_and_single_line(tmp_path):
    content = ("The Time Machine, by H. G. Wells [1898]\n\n\nI\r\nThe Time Traveller (for so it will be"
               " convenient to speak of him)\n") * 150
    write_time_machine(tmp_path, content)
    # read in text mode as 1.0.0 does, so \r\n is one line break (one space)
    expected = content.replace("\r\n", "\n").replace("\n", " ").lower()[:10000]
    assert_consistent(text.load_data_time_machine(root=str(tmp_path)), expected)


def test_missing_time_machine_says_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(store.DataNotFoundError, match="timemachine.txt") as info:
        text.load_data_time_machine()
    assert "Gutenberg" in str(info.value) and store.legacy_dir() in str(info.value)


def test_vocabulary_is_the_same_in_every_process(tmp_path):
    write_lyrics(tmp_path, lyrics_like(3000, seed=1))
    write_time_machine(tmp_path, "Hello, World! The quick brown fox. " * 50)
    code = ("import json, sys; from d2lzh.data import text; r = sys.argv[1]; "
            "print(json.dumps([text.load_data_jay_lyrics(root=r)[2], text.load_data_time_machine(root=r)[2]]))")
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=REPO)
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, check=True,
                              stdout=subprocess.PIPE)
        outputs.append(json.loads(done.stdout.decode("utf-8")))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0]) > 50
