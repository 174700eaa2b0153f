"""The evaluation corpus: letters, truth files and the seed renderer (see README.md)."""
