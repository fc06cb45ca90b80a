"""Extractors: recognise entities in documents. Each is small and knows one kind of file."""
