"""What every app's management commands share: counted nouns, a quiet end when the
reader leaves, and progress bars."""
