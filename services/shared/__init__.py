"""The small kit every Ledarlyft service uses: envelope, outbox, consumer, identity, HTTP, wiring."""
