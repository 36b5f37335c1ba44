"""Chinese mode says the system's error texts and the bank loader's refusals in Chinese (issue 10,
one language at a time): "No such file or directory" and its kind by error number, and a bank file
that does not add up, as `selfcheck banks validate` prints them."""

from __future__ import annotations

import errno
import os
import re
import shutil

import pytest

from assistant.domain.loader import banks_dir
from assistant.i18n_errors import _OS_ZH, localise

from .test_one_language import run_cli as run


@pytest.mark.parametrize("code", sorted(_OS_ZH))
def test_each_system_error_text_is_said_in_chinese(code):
    for message in (f"cannot write /srv/a.txt: {os.strerror(code)}",
                    f"/srv/a.json: cannot be read ({os.strerror(code)})",
                    f"cannot read /srv/a.json: [Errno {code}] {os.strerror(code)}: '/srv/a.json'"):
        zh = localise(message, "zh")
        assert _OS_ZH[code] in zh, zh
        assert not re.search(r"[A-Za-z]{2,}", zh.replace("/srv/a.txt", "").replace("/srv/a.json", "")), zh
    assert localise(f"cannot write /srv/a.txt: {os.strerror(code)}", "en").endswith(os.strerror(code))


def test_a_missing_answers_file_is_said_in_chinese(capsys, tmp_path):
    code, _, err = run(capsys, "run", "--answers", str(tmp_path / "无.json"), "--db", str(tmp_path / "s"))
    assert code == 2
    assert "没有这个文件或文件夹" in err and os.strerror(errno.ENOENT) not in err, err
    code, _, err = run(capsys, "run", "--answers", str(tmp_path / "无.json"), "--db", str(tmp_path / "s"),
                       "--lang", "en")
    assert code == 2 and os.strerror(errno.ENOENT) in err


def test_a_bank_that_does_not_add_up_is_refused_in_chinese(capsys, tmp_path):
    bank = tmp_path / "activities_effect.toml"
    text = (banks_dir() / "activities_effect.toml").read_text(encoding="utf-8")
    bank.write_text(re.sub(r"(?m)^total_points = \d+", "total_points = 21", text, count=1), encoding="utf-8")
    code, out, err = run(capsys, "banks", "validate", str(bank))
    assert code == 2
    shown = out + err
    assert "各题分值合计" in shown and "total_points = 21" in shown, shown
    assert "add up" not in shown and "question" not in shown, shown


def test_a_missing_bank_folder_is_said_in_chinese(capsys, tmp_path):
    code, out, err = run(capsys, "banks", "validate", str(tmp_path / "无"))
    assert code == 2
    assert "没有这个文件或文件夹" in out + err or "没有题库文件" in out + err, out + err
    assert not re.search(r"No such|no bank files", out + err)
