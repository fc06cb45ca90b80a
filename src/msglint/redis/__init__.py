"""Redis knowledge: the server's and the clients' defaults, and the stream calls every language's
extractor reports in one shape (``calls``)."""
