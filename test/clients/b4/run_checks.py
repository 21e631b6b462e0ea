"""Runs b4's own check runner on a series, as b4's review app does (b4/review_tui/_common.py).

b4.review.checks comes from b4's source (vendor/, GPL-2.0-or-later, see README.md); the b4 core
module it calls (LoreMessage.get_msg_as_bytes, _run_command, get_main_config) is Debian's b4
package. The check commands come from git config in the current directory, which must be the
repository's top level: b4.review-perpatch-check-cmd and b4.review-series-check-cmd.

usage: /usr/bin/python3 run_checks.py SERIES.mbox [TRACKING.json]
prints {"perpatch": [{"label", "subject", "results"}], "series": {"label", "results"} | null}
"""
import email.parser
import json
import os
import re
import sys

import b4

# b4.review.checks from b4's source: a namespace package b4.review beside Debian's b4 core.
b4.__path__.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'vendor', 'b4'))
import b4.review.checks as checks  # noqa: E402


def read_mbox(path):
    with open(path, 'rb') as f:
        data = f.read()
    parser = email.parser.BytesParser(policy=b4.emlpolicy)
    return [parser.parsebytes(chunk) for chunk in re.split(rb'(?m)^From [^\n]*\n', data) if chunk.strip()]


def main():
    msgs = read_mbox(sys.argv[1])
    extra_env = {'B4_TRACKING_FILE': sys.argv[2]} if len(sys.argv) > 2 else {}
    perpatch_cmds, series_cmds = checks.load_check_cmds()
    topdir = b4.git_get_toplevel()
    if not topdir:
        sys.exit('not in a git repository')
    # Cover letter and patches, as _fetch_and_check separates them.
    cover_msg = None
    patches = []
    for msg in msgs:
        subject = msg.get('subject', '')
        msgid = msg.get('message-id', '').strip('<> ')
        if not subject or not msgid:
            continue
        lsubj = b4.LoreSubject(subject)
        if lsubj.counter == 0 and lsubj.expected > 0:
            cover_msg = (msgid, msg)
        elif lsubj.patch and not lsubj.reply:
            patches.append((msgid, msg))
    patches.sort(key=lambda p: b4.LoreSubject(p[1].get('subject', '')).counter)
    num = b4.LoreSubject(patches[0][1].get('subject', '')).expected if patches else 0
    results = checks.run_perpatch_checks(patches, perpatch_cmds, topdir, extra_env=extra_env)
    out = {'perpatch': [], 'series': None}
    for idx, (msgid, msg) in enumerate(patches, 1):
        out['perpatch'].append(
            {'label': f'{idx}/{num}', 'subject': str(msg.get('subject', '')), 'results': results[msgid]}
        )
    if cover_msg and series_cmds:
        out['series'] = {
            'label': f'0/{num}',
            'results': checks.run_series_checks(cover_msg, series_cmds, topdir, extra_env=extra_env),
        }
    json.dump(out, sys.stdout, indent=2)


if __name__ == '__main__':
    main()
