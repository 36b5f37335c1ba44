"""The bank cache (assistant/domain/bank_cache.py): banks parsed and validated once, read back while
nothing they depend on changed, and never trusted when the file is not what was written."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.domain import bank_cache, loader
from assistant.domain.loader import BankError, load_paths

ROOT = Path(__file__).resolve().parent.parent
BANKS = ROOT / "question_banks"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setattr(bank_cache, "cache_dir", lambda: folder)
    monkeypatch.delenv(bank_cache.ENV_OFF, raising=False)
    return folder


@pytest.fixture
def banks(tmp_path):
    folder = tmp_path / "banks"
    shutil.copytree(BANKS, folder)
    return folder


def counting_parses(monkeypatch) -> list[Path]:
    """Record every bank file the loader parses and validates."""
    seen: list[Path] = []
    real = loader.load_file

    def load_file(path):
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(loader, "load_file", load_file)
    return seen


def the_one_file(cache: Path) -> Path:
    files = list(cache.glob("*.pickle"))
    assert len(files) == 1, files
    return files[0]


def test_the_second_load_reads_the_cache_and_gives_the_same_library(cache, banks, monkeypatch):
    parsed = counting_parses(monkeypatch)
    first = load_paths([banks])
    assert len(parsed) == len(list(banks.glob("*.toml")))
    assert first.fingerprint and the_one_file(cache).exists()
    parsed.clear()
    second = load_paths([banks])
    assert parsed == []  # nothing parsed or validated again
    assert second.fingerprint == first.fingerprint
    assert list(second.banks) == list(first.banks)
    for bank_id, bank in first.banks.items():
        again = second.banks[bank_id]
        assert again == bank and [q.id for q in again.questions] == [q.id for q in bank.questions]
        assert again.question(bank.questions[-1].id) == bank.questions[-1]  # the look-ups built after loading
    assert second.catalogue == first.catalogue and second.files == first.files


def test_an_edited_bank_file_is_read_again(cache, banks, monkeypatch):
    first = load_paths([banks])
    design = banks / "activities_design.toml"
    old_title = first.bank("activities.design").title.en
    design.write_text(design.read_text(encoding="utf-8").replace(old_title, old_title + " (edited)", 1),
                      encoding="utf-8")
    parsed = counting_parses(monkeypatch)
    second = load_paths([banks])
    assert parsed  # validated again
    assert second.bank("activities.design").title.en == old_title + " (edited)"
    assert second.fingerprint != first.fingerprint


def test_a_broken_bank_file_is_refused_although_a_good_one_was_cached(cache, banks):
    load_paths([banks])
    design = banks / "activities_design.toml"
    text = design.read_text(encoding="utf-8")
    design.write_text(re.sub(r"max_points = ([1-9])", r"max_points = -\1", text, count=1), encoding="utf-8")
    with pytest.raises(BankError, match="max_points"):
        load_paths([banks])


def test_a_change_to_the_checking_code_invalidates_the_cache(cache, banks, tmp_path, monkeypatch):
    """bank.py's rules changed (another check, another field): the fingerprint of the domain's code changes."""
    first = load_paths([banks])
    code = tmp_path / "domain"
    shutil.copytree(bank_cache.DOMAIN, code, ignore=shutil.ignore_patterns("__pycache__"))
    (code / "bank.py").write_text((code / "bank.py").read_text(encoding="utf-8") + "\n# a new check\n",
                                  encoding="utf-8")
    monkeypatch.setattr(bank_cache, "DOMAIN", code)
    parsed = counting_parses(monkeypatch)
    second = load_paths([banks])
    assert parsed and second.fingerprint != first.fingerprint


def damage_cases(path: Path, key: str) -> dict[str, bytes]:
    raw = path.read_bytes()
    head = bank_cache.MAGIC + key.encode() + b"\n"
    evil = pickle.dumps(os.system)  # a pickle that would run a command if it were trusted
    body = pickle.dumps(("not", "a library"))
    import hashlib

    return {
        "cut short": raw[: len(raw) // 2],
        "empty": b"",
        "garbage": b"\x00\xff" * 1000,
        "a byte changed": raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:],
        "another key's header": raw.replace(key.encode(), ("0" * len(key)).encode(), 1),
        "a foreign class, checksum right": head + hashlib.sha256(evil).digest() + evil,
        "not a library, checksum right": head + hashlib.sha256(body).digest() + body,
    }


@pytest.mark.parametrize("case", ["cut short", "empty", "garbage", "a byte changed", "another key's header",
                                  "a foreign class, checksum right", "not a library, checksum right"])
def test_a_damaged_cache_is_ignored_and_rebuilt(cache, banks, monkeypatch, case):
    first = load_paths([banks])
    path = the_one_file(cache)
    path.write_bytes(damage_cases(path, first.fingerprint)[case])
    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("the cache ran a command"))
    parsed = counting_parses(monkeypatch)
    again = load_paths([banks])
    assert parsed  # read from the files, not from the damaged cache
    assert list(again.banks) == list(first.banks) and again.fingerprint == first.fingerprint
    parsed.clear()
    load_paths([banks])
    assert parsed == []  # and the cache was written anew


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_speed(tmp_path, banks, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setattr(bank_cache, "cache_dir", lambda: blocker / "banks")
    library = load_paths([banks])
    assert "activities.design" in library.banks


def test_the_cache_can_be_turned_off(cache, banks, monkeypatch):
    monkeypatch.setenv(bank_cache.ENV_OFF, "1")
    load_paths([banks])
    assert not cache.exists()


def test_only_the_newest_files_are_kept(cache, banks):
    cache.mkdir(parents=True)
    for n in range(bank_cache.KEEP + 3):
        old = cache / f"{n:032x}.pickle"
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    library = load_paths([banks])
    files = sorted(cache.glob("*.pickle"))
    assert len(files) == bank_cache.KEEP
    assert cache / f"{library.fingerprint[:32]}.pickle" in files


def test_a_warm_start_does_not_parse_toml(tmp_path):
    """In a fresh process with the cache warm, the banks come without the TOML parser or validation."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    code = ("import sys\nfrom assistant.domain.loader import load_library\nlib = load_library()\n"
            "print(len(lib.banks), 'tomllib' in sys.modules)\n")
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr + warm.stderr
    n, parsed = warm.stdout.split()
    assert int(n) >= 6 and cold.stdout.split()[1] == "True" and parsed == "False"
