"""Import the published archive: parse existing weekly 简报 and daily 早报 Markdown issues into records."""

from jianbao.archive.parse import ParseResult, detect_format, parse_issue, read_issue_file, to_json

__all__ = ["ParseResult", "detect_format", "parse_issue", "read_issue_file", "to_json"]
