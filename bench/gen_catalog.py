#!/usr/bin/env python3
"""Write COUNT small single-file v1 .torrent files into DIR and print their info-hashes, one
40-char hex hash a line (the pool file run-http.sh takes as HASHES_FILE).

    gen_catalog.py COUNT DIR
"""
import hashlib
import os
import sys


def bencode(value) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, str):
        return bencode(value.encode())
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(value)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    for i in range(count):
        info = {"length": 1_000_000 + i, "name": f"bench-{i:05d}.bin", "piece length": 262144,
                "pieces": hashlib.sha1(b"piece-%d" % i).digest() * 4}
        encoded = bencode(info)
        with open(os.path.join(directory, f"bench-{i:05d}.torrent"), "wb") as f:
            f.write(bencode({"announce": "http://127.0.0.1/announce", "info": info}))
        print(hashlib.sha1(encoded).hexdigest())


if __name__ == "__main__":
    main()
