"""The VSPs' key files, read by the production settings (no Django here: settings import it)."""

from pathlib import Path


def kek_from_directory(directory: str) -> dict[str, list[str]]:
    """{INITIALS: [keys]} from `<directory>/<INITIALS>.key` files: one Fernet key a line, the first
    wraps new data keys, all unwrap (so a VSP rotates its key by adding a line on top)."""
    if not directory:
        return {}
    found = {}
    for path in sorted(Path(directory).glob("*.key")):
        keys = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
        if keys:
            found[path.stem.upper()] = keys
    return found
