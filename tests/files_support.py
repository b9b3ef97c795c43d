"""Files the reading tests build in memory (shared by test_reading and test_bad_input)."""
import io
import zipfile


def make_zip(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of (name, bytes-or-str) members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()
