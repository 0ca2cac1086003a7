"""Without its proxy the class test is skipped with the reason on a developer's machine, and
fails on CI, which must install it (tests/hub.py)."""

from __future__ import annotations

from pathlib import Path

import hub
import pytest


def test_a_missing_proxy_skips_with_the_reason_but_fails_on_ci(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(hub, "PROXY_BIN", tmp_path)  # no configurable-http-proxy in it
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception,
                       match=r"configurable-http-proxy is not installed \(npm ci --prefix "
                             r"tools/hub\)"):
        hub.need_hub()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must install the hub's parts: "
                                                    "configurable-http-proxy"):
        hub.need_hub()
