"""A feature's settings are its own (Feature.config): read from the same CHATSERVER_*
variables as ever, each feature's into its section, and a bad value stops the start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatserver import services
from chatserver.config import Config
from signaling.config import VideoConfig
from sms.config import SmsConfig

pytestmark = pytest.mark.dbindependent


def test_each_feature_reads_its_variables_into_its_section(monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in {"CHATSERVER_SMS_GATEWAY": "smpp", "CHATSERVER_SMS_WORKER": "off",
                       "CHATSERVER_SMS_RATE_PER_SECOND": "12.5", "CHATSERVER_SMS_REPORT_SECRET": " s3cret ",
                       "CHATSERVER_SMPP_PORT": "2776", "CHATSERVER_SPRYNG_ROUTE": "1234",
                       "CHATSERVER_SMS_CONCURRENCY": "", "CHATSERVER_VIDEO_ROOM_CAP": "3",
                       "CHATSERVER_TURN_URLS": "turn:a:3478, turn:b:3478", "CHATSERVER_TURN_SECRET": "t"}.items():
        monkeypatch.setenv(var, value)
    config = services.configure(Config.from_env())
    sms = config.section(SmsConfig)
    assert (sms.gateway, sms.worker, sms.rate_per_second, sms.report_secret) == ("smpp", "off", 12.5, "s3cret")
    assert (sms.smpp_port, sms.spryng_route, sms.concurrency) == (2776, "1234", 8)  # empty: the default
    video = config.section(VideoConfig)
    assert (video.room_cap, video.turn_urls, video.turn_secret) == (3, ("turn:a:3478", "turn:b:3478"), "t")
    assert config.sections[SmsConfig] is sms  # read once, at the start


def test_a_config_built_in_code_takes_the_defaults_whatever_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATSERVER_SMS_GATEWAY", "spryng")
    assert Config().section(SmsConfig) == SmsConfig()
    changed = Config().with_sections(SmsConfig(worker="off"))
    assert services.configure(changed).section(SmsConfig).worker == "off"  # a section set is kept


@pytest.mark.parametrize(("var", "value"), [("CHATSERVER_SMS_GATEWAY", "twilio"), ("CHATSERVER_SMS_WORKER", "on")])
def test_a_bad_feature_setting_stops_the_start(monkeypatch: pytest.MonkeyPatch, var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    config = Config.from_env()  # the core's own variables are fine
    with pytest.raises(ValueError, match=var):
        services.configure(config)


def test_docs_configuration_lists_every_variable_the_core_and_the_features_read() -> None:
    """Each literal CHATSERVER_* name in the server's code, and SMS's (made from its fields)."""
    root = Path(__file__).resolve().parent.parent
    read = set(SmsConfig.variables().values())
    for package in ("chatserver", "sms", "signaling", "livechat"):
        for path in (root / package).rglob("*.py"):
            read |= set(re.findall(r"[\"'](CHATSERVER_[A-Z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"`(CHATSERVER_[A-Z0-9_]+)`", (root / "docs/configuration.md").read_text(encoding="utf-8")))
    assert "CHATSERVER_VIDEO_ROOM_CAP" in read and "CHATSERVER_SMPP_LONG" in read
    assert sorted(read - documented) == []
