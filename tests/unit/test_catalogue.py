from infra.catalogue import documents


def test_the_committed_event_catalogue_is_current() -> None:
    stale = [
        str(path)
        for path, content in documents().items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert stale == [], "run `make events` and commit docs/events"
