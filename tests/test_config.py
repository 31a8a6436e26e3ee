from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.config import Config, load_config, parse_config, render_toml
from jianbao.errors import ConfigError


def test_defaults_round_trip_through_the_generated_toml() -> None:
    from jianbao.ingestion.sources.defaults import default_config

    config = default_config()
    text = render_toml(config)
    again = parse_config(text)
    assert again.model_dump() == config.model_dump()
    # every setting is documented in the file it writes
    assert "# target length of a summary in reader characters" in text
    assert "rsshub" in text.lower()  # the commented 公众号 example


def test_bad_value_names_key_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "jianbao.toml"
    path.write_text('[weekly]\nmax_items = 10\nhistory_days = "four weeks"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    assert err.line == 3 and err.key == "weekly.history_days" and err.exit_code == 2
    assert str(err).startswith(f"{path}:3: weekly.history_days:")


def test_unknown_key_in_an_array_of_tables(tmp_path: Path) -> None:
    text = (
        '[[sources]]\nname = "a"\nurl = "a.xml"\n\n'
        '[[sources]]\nname = "b"\nurl = "b.xml"\nwieght = 2\n'
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text, path="x.toml")
    assert info.value.line == 8
    assert "sources[1].wieght: unknown key" in str(info.value)


def test_invalid_toml_reports_the_line() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config('[output]\ndir = "out\n', path="j.toml")
    assert info.value.line == 2
    assert "invalid TOML" in str(info.value)


def test_range_checks_and_enums() -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\].region"):
        parse_config('[[sources]]\nname = "a"\nurl = "u"\nregion = "欧洲"\n')
    with pytest.raises(ConfigError, match=r"sources\[0\]\.name"):
        parse_config('[[sources]]\nname = "two words"\nurl = "u"\n')
    with pytest.raises(ConfigError, match=r"weekly\.max_items"):
        parse_config("[weekly]\nmax_items = 0\n")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_resolve_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "jianbao.toml"
    path.parent.mkdir()
    path.write_text('[output]\ndir = "issues"\n', encoding="utf-8")
    config = load_config(path)
    assert config.resolve(config.output.dir) == tmp_path / "sub" / "issues"
    assert Config().resolve("/abs") == Path("/abs")


def test_cluster_defaults_are_the_tuned_ones() -> None:
    import dataclasses

    from jianbao.config import ClusterSettings
    from jianbao.stories.settings import DEFAULT_SETTINGS

    tuned = dataclasses.asdict(DEFAULT_SETTINGS)
    for key, value in ClusterSettings().model_dump().items():
        assert tuned[key] == value, key
