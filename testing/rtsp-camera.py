#!/usr/bin/python3
"""A real RTSP camera for tests: serves a shared clip as H.264 over RTSP with GStreamer's RTSP server.

The clip is remuxed once (no re-encode) into a long looped copy in the temp dir, then served in real
time from `rtsp://127.0.0.1:<port><path>`; every client sees the same live stream. With --user and
--password the server requires HTTP basic auth. Prints `READY <port>` on stdout once it listens.
"""
import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def looped_copy(clip: str, loops: int) -> str:
    """The clip repeated `loops` times, video only, as MP4 (cached by content path and loop count)."""
    key = hashlib.sha1(f"{os.path.abspath(clip)}:{os.path.getmtime(clip)}:{loops}".encode()).hexdigest()[:12]
    target = os.path.join(tempfile.gettempdir(), f"rxv-rtsp-{key}.mp4")
    if not os.path.exists(target):
        partial = f"{target}.{os.getpid()}.part.mp4"
        subprocess.run(
            ["/usr/bin/ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-stream_loop", str(loops - 1),
             "-i", clip, "-map", "0:v:0", "-c", "copy", partial],
            check=True,
        )
        os.replace(partial, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clip", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/cam")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--loops", type=int, default=20)
    args = parser.parse_args()

    Gst.init(None)
    source = looped_copy(args.clip, args.loops)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f'( filesrc location="{source}" ! qtdemux ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 )'
    )
    factory.set_shared(True)
    if args.user is not None:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("user", "media.factory.access", True)
        permissions.add_permission_for_role("user", "media.factory.construct", True)
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        sys.exit(f"rtsp-camera: cannot listen on 127.0.0.1:{args.port}")

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print(f"READY {args.port}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
