#!/usr/bin/python3
"""One seeder and two leechers (python3-libtorrent) complete a random payload through a tracker.

    libtorrent_swarm.py --tracker http://127.0.0.1:PORT/announce --workdir DIR [--size BYTES] [--timeout SECS]

DHT, local peer discovery, UPnP, NAT-PMP and peer exchange are off, so the tracker is the only
way the peers can find each other. Scrapes the tracker before the leechers join, after both
finish, and after one of them leaves (event=stopped). Prints one JSON object on stdout and exits
0 when the download completed and the payload matches; what the tracker reported is for the
caller to judge. Everything listens on 127.0.0.1 and every wait is bounded.
"""
import argparse
import hashlib
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import libtorrent as lt


def session(port_hint, listen="127.0.0.1:0"):
    settings = {
        "listen_interfaces": listen,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        # Every peer is 127.0.0.1 on its own port.
        "allow_multiple_connections_per_ip": True,
        "announce_to_all_trackers": True,
        "announce_to_all_tiers": True,
        "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.error_notification,
        "user_agent": "trackertui-e2e/" + str(port_hint),
    }
    # flags=0: no default plugins, hence no ut_pex peer exchange.
    return lt.session(settings, 0)


def make_torrent(seed_dir, size, tracker):
    os.makedirs(seed_dir, exist_ok=True)
    path = os.path.join(seed_dir, "payload.bin")
    data = os.urandom(size)
    with open(path, "wb") as f:
        f.write(data)
    fs = lt.file_storage()
    lt.add_files(fs, path)
    ct = lt.create_torrent(fs, 32 * 1024, flags=lt.create_torrent.v1_only)
    ct.add_tracker(tracker)
    lt.set_piece_hashes(ct, seed_dir)
    info = lt.torrent_info(ct.generate())
    return info, hashlib.sha1(data).hexdigest()


def scrape(tracker, info_hash):
    url = tracker.rsplit("/announce", 1)[0] + "/scrape?info_hash=" + urllib.parse.quote_from_bytes(info_hash)
    with urllib.request.urlopen(url, timeout=5) as response:
        body = lt.bdecode(response.read())
    entry = body[b"files"].get(info_hash)
    if entry is None:
        return {"complete": 0, "incomplete": 0, "downloaded": 0, "known": False}
    return {"complete": entry[b"complete"], "incomplete": entry[b"incomplete"],
            "downloaded": entry[b"downloaded"], "known": True}


def wait_for(predicate, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def drain(ses, log):
    for alert in ses.pop_alerts():
        if isinstance(alert, (lt.tracker_error_alert, lt.tracker_warning_alert, lt.tracker_reply_alert)):
            log.append(type(alert).__name__ + ": " + alert.message())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracker", required=True)
    parser.add_argument("--scrape", help="the tracker's HTTP announce URL, for scrapes (default: --tracker)")
    parser.add_argument("--listen", default="127.0.0.1:0", help="where the clients listen, e.g. [::1]:0")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--size", type=int, default=3 * 1024 * 1024 + 12345)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    scrape_url = args.scrape or args.tracker
    log = []
    result = {"ok": False}
    info, digest = make_torrent(os.path.join(args.workdir, "seed"), args.size, args.tracker)
    info_hash = bytes.fromhex(str(info.info_hashes().v1))
    result["info_hash"] = info_hash.hex()

    seeder = session(1, args.listen)
    seed_handle = seeder.add_torrent({"ti": info, "save_path": os.path.join(args.workdir, "seed")})
    # The seeder must be known to the tracker before the leechers ask for peers.
    if not wait_for(lambda: seed_handle.status().is_seeding, 30):
        result["error"] = "seeder did not verify its data"
    elif not wait_for(lambda: scrape(scrape_url, info_hash)["complete"] == 1, 30):
        result["error"] = "tracker never counted the seeder"
    result["scrape_before"] = scrape(scrape_url, info_hash)

    leechers, handles = [], []
    if "error" not in result:
        for i in range(2):
            ses = session(10 + i, args.listen)
            save = os.path.join(args.workdir, "leecher%d" % i)
            os.makedirs(save, exist_ok=True)
            handles.append(ses.add_torrent({"ti": info, "save_path": save}))
            leechers.append(ses)

        def all_done():
            for s in [seeder] + leechers:
                drain(s, log)
            return all(h.status().is_seeding for h in handles)

        if not wait_for(all_done, args.timeout):
            result["error"] = "leechers did not finish: " + ", ".join(
                "%.0f%%" % (h.status().progress * 100) for h in handles)

    if "error" not in result:
        for i in range(2):
            with open(os.path.join(args.workdir, "leecher%d" % i, "payload.bin"), "rb") as f:
                if hashlib.sha1(f.read()).hexdigest() != digest:
                    result["error"] = "leecher %d has a corrupt payload" % i
        result["peers_seen"] = [h.status().list_peers for h in handles]
        # Each leecher announces event=completed when it finishes.
        wait_for(lambda: scrape(scrape_url, info_hash)["downloaded"] >= 2
                 and scrape(scrape_url, info_hash)["complete"] >= 3, 20)
        result["scrape_after_complete"] = scrape(scrape_url, info_hash)
        # Leaving sends event=stopped.
        leechers[1].remove_torrent(handles[1])
        wait_for(lambda: scrape(scrape_url, info_hash)["complete"] <= 2, 20)
        result["scrape_after_stop"] = scrape(scrape_url, info_hash)
        result["ok"] = "error" not in result

    for s in [seeder] + leechers:
        drain(s, log)
    result["tracker_log"] = log[-20:]
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
