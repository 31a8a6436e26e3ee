"""The archive of published issues: import it (parse existing weekly 简报 and daily 早报 Markdown into records:
``parse``, ``weekly``, ``daily``), publish into it (``publish``: the YYYY/ file and the README index), build
its static site (``site``), and ``files``: where issue files live and ``write_issue``, which writes them."""

from jianbao.archive.parse import ParseResult, detect_format, parse_issue, read_issue_file, to_json

__all__ = ["ParseResult", "detect_format", "parse_issue", "read_issue_file", "to_json"]
