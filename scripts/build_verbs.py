"""Write assistant/content/verbs.tsv.gz: every word form lemminflect knows, and what the rephraser asks of verbs.

Usage: python scripts/build_verbs.py   (after upgrading lemminflect; tests/test_rephrase.py says when it is due)
"""

from __future__ import annotations

import gzip

from assistant.conversation.verbs import FILE, dictionary_forms, from_lemminflect, line
from assistant.resources import content


def main() -> None:
    verbs = {form: v for form in dictionary_forms() if (v := from_lemminflect(form)) is not False}
    with gzip.GzipFile(content(FILE), "wb", mtime=0) as out:  # mtime 0: the same table gives the same bytes
        out.write("".join(line(form, v) for form, v in verbs.items()).encode("utf-8"))
    print(f"{len(verbs):,} word forms ({sum(v is not None for v in verbs.values()):,} verb forms) written to {content(FILE)}")


if __name__ == "__main__":
    main()
