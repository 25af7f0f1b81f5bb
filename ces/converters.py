"""URL path converters: ids are 1 to 18 ASCII digits, so no id in a URL can overflow a bigint."""

from ces.inputs import ID_PATTERN


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
