#!/usr/bin/python3
"""make_torrents.py DIR: writes content and .torrent files made by real tools into DIR/torrents
(mktorrent for v1, libtorrent's create_torrent for v1, v2 and hybrid), and prints JSON: for each
torrent file, what libtorrent reads from it (name, info-hashes, size without padding files,
files, piece length, private)."""
import json, os, subprocess, sys
import libtorrent as lt

root = sys.argv[1]
content, torrents = os.path.join(root, "content"), os.path.join(root, "torrents")
os.makedirs(os.path.join(content, "album", "disc 2"), exist_ok=True)
os.makedirs(torrents, exist_ok=True)
files = {"single.bin": 300_000, "album/one.flac": 70_000, "album/disc 2/two.flac": 123_457, "album/cover.jpg": 5_000}
for path, size in files.items():
    with open(os.path.join(content, path), "wb") as f:
        f.write(bytes((i * 7 + len(path)) % 251 for i in range(size)))

def lt_torrent(name, path, flags, private=False):
    fs = lt.file_storage()
    lt.add_files(fs, os.path.join(content, path))
    t = lt.create_torrent(fs, 16384, flags=flags)
    t.set_priv(private)
    lt.set_piece_hashes(t, content)
    with open(os.path.join(torrents, name), "wb") as f:
        f.write(lt.bencode(t.generate()))

subprocess.run(["mktorrent", "-l", "15", "-o", os.path.join(torrents, "mk-single.torrent"), os.path.join(content, "single.bin")],
               check=True, capture_output=True)
subprocess.run(["mktorrent", "-p", "-l", "15", "-o", os.path.join(torrents, "mk-album.torrent"), os.path.join(content, "album")],
               check=True, capture_output=True)
lt_torrent("lt-v1.torrent", "single.bin", lt.create_torrent.v1_only)
lt_torrent("lt-v2.torrent", "album", lt.create_torrent.v2_only)
lt_torrent("lt-hybrid.torrent", "album", 0, private=True)

out = {}
for name in sorted(os.listdir(torrents)):
    info = lt.torrent_info(os.path.join(torrents, name))
    hashes = info.info_hashes()
    fs = info.files()
    real = [i for i in range(fs.num_files()) if not fs.file_flags(i) & lt.file_storage.flag_pad_file]
    out[name] = {
        "name": info.name(),
        "v1": str(hashes.v1) if hashes.has_v1() else None,
        "v2": str(hashes.v2)[:40] if hashes.has_v2() else None,
        "size": sum(fs.file_size(i) for i in real),
        "files": len(real),
        "piece_length": info.piece_length(),
        "private": info.priv(),
    }
print(json.dumps(out))
