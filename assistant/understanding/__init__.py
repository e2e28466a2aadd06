"""Understanding what a person said: normalised words, the safety check, then the intent and its slots."""
