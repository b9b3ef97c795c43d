"""Text: the article's sentences and the page furniture (bylines, share buttons) left out of them."""
