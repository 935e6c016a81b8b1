#!/usr/bin/python3
"""Drive WebKitGTK (WebKit2 4.1 through PyGObject) for the interop suite.

    webkit_driver.py --version
    webkit_driver.py [--url URL] [--done-file PATH] [--time-limit SECONDS]

--version prints "WebKitGTK MAJOR.MINOR.MICRO", read from the WebKit2 API
(webkit_get_major_version() and friends), and exits.

Otherwise one WebView, in a web context whose website data manager is
ephemeral (nothing is read from or written to disk) and whose proxy mode is
"no proxy", loads URL (default http://127.0.0.1:18610/, the runner page).
The driver quits when the runner is finished: the page sets its title to
"done" after the server accepted POST /done (or "failed: ..." when the
runner gave up), or when --done-file appears (run-webkitgtk.sh creates it
when the server has exited), or after --time-limit seconds.  It needs a
display: run it under xvfb-run.  run-webkitgtk.sh runs it inside a network
namespace where only loopback exists.
"""
import argparse
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402


def version():
    return "WebKitGTK %d.%d.%d" % (WebKit2.get_major_version(),
                                   WebKit2.get_minor_version(),
                                   WebKit2.get_micro_version())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", action="store_true")
    ap.add_argument("--url", default="http://127.0.0.1:18610/")
    ap.add_argument("--done-file")
    ap.add_argument("--time-limit", type=float, default=300.0)
    a = ap.parse_args()
    if a.version:
        print(version())
        return 0

    status = {"rc": 1, "why": "not finished"}

    def finish(rc, why):
        if status["why"] == "not finished":
            status["rc"], status["why"] = rc, why
        Gtk.main_quit()
        return False

    manager = WebKit2.WebsiteDataManager.new_ephemeral()
    manager.set_network_proxy_settings(WebKit2.NetworkProxyMode.NO_PROXY,
                                       None)
    manager.set_itp_enabled(False)
    context = WebKit2.WebContext.new_with_website_data_manager(manager)
    context.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
    context.set_spell_checking_enabled(False)

    view = WebKit2.WebView.new_with_context(context)
    settings = view.get_settings()
    settings.set_enable_javascript(True)
    settings.set_enable_page_cache(False)
    settings.set_hardware_acceleration_policy(
        WebKit2.HardwareAccelerationPolicy.NEVER)
    settings.set_enable_write_console_messages_to_stdout(True)
    settings.set_enable_developer_extras(False)
    settings.set_enable_webaudio(False)
    settings.set_enable_webgl(False)
    settings.set_enable_media(False)
    settings.set_media_playback_requires_user_gesture(True)

    def on_title(v, _pspec):
        title = v.get_title() or ""
        if title == "done":
            finish(0, "runner done")
        elif title.startswith("failed"):
            finish(1, "runner %s" % title)

    def on_load_failed(_v, _event, uri, error):
        sys.stderr.write("webkit_driver: loading %s failed: %s\n"
                         % (uri, error.message))
        finish(1, "load failed")
        return True

    def on_crash(_v, *args):
        sys.stderr.write("webkit_driver: the web process terminated %s\n"
                         % (args,))
        finish(1, "web process terminated")

    view.connect("notify::title", on_title)
    view.connect("load-failed", on_load_failed)
    view.connect("web-process-terminated", on_crash)

    def poll_done_file():
        if a.done_file and os.path.exists(a.done_file):
            finish(0 if status["why"] == "not finished" else status["rc"],
                   "server finished")
            return False
        return True

    GLib.timeout_add(200, poll_done_file)
    GLib.timeout_add(int(a.time_limit * 1000),
                     lambda: finish(1, "time limit"))

    win = Gtk.Window()
    win.set_default_size(800, 600)
    win.add(view)
    win.connect("destroy", lambda *_: finish(1, "window closed"))
    win.show_all()
    view.load_uri(a.url)
    Gtk.main()
    sys.stderr.write("webkit_driver: %s\n" % status["why"])
    return status["rc"]


if __name__ == "__main__":
    sys.exit(main())
