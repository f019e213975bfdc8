#!/usr/bin/env bash
# Makes v7.db — a small database with a few records of every kind, the trash, edits, stage
# moves, a repeating task, a converted lead, a merge, an undo, an import and its undo, and
# delivered reminders — with the kith binary of schema version 7, and v7.json, its dump
# (`kith export json --all`) as that kith wrote it. tests/cli/upgrade.rs opens a copy of
# v7.db with the kith being built and checks that nothing was lost.
#
#   cargo build && bash tests/data/upgrade/make.sh        # or KITH=path/to/kith bash …
#
# Only for the release that made the file: later releases keep v7.db as it is and add their
# own file beside it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KITH=${KITH:-$here/../../../target/debug/kith}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KITH_DB=$work/kith.db TZ=UTC NO_COLOR=1 KITH_USER=mei HOME=$work \
    XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
# at WHEN [--as USER] COMMAND…: run kith with the clock at WHEN.
at() {
    local when=$1
    shift
    KITH_NOW=$when "$KITH" "$@"
}

# Day 1: accounts (one a branch), contacts, a lead, deals in two pipelines and currencies.
at 2026-11-02T09:00 account add 广州白云国际机场 --type customer --tier A --industry 航空 \
    --city 广州 --region 广东 --country 中国 --phone "+86 20 3606 6999" \
    --website www.baiyunport.example --tag vip --tag 重点 --notes "华南枢纽；年度预算每年3月下达。"
at 2026-11-02T09:05 account add "Harbour Hotels Group" --type prospect --tier B --city "Hong Kong" \
    --email sales@harbour.example --source referral
at 2026-11-02T09:10 account add "Harbour Hotels Shenzhen" --parent "Harbour Hotels Group" --tier C \
    --city 深圳
at 2026-11-02T09:15 account add "Lin Mei" --kind person --type customer --tier C
at 2026-11-02T09:20 contact add 王芳 --account 白云 --title 采购经理 --email wang@baiyun.example \
    --email fang@example.com --phone "+86 138 0013 8000" --birthday 1985-11-25 --tag champion
at 2026-11-02T09:25 contact add "Grace Lau" --account "Harbour Hotels Group" --title "IT Director" \
    --email grace@harbour.example
at 2026-11-02T09:30 contact add "Grace Lau (old card)" --account "Harbour Hotels Group" \
    --email grace.lau@harbour.example --phone "+852 2123 4567"
at 2026-11-02T09:35 lead add "Li Wei" --company 深圳地铁集团 --source exhibition --email li.wei@metro.example \
    --score 70
at 2026-11-02T09:40 lead add "Sam Chen" --company "Pacific Freight" --source web --status contacted
at 2026-11-02T09:45 pipeline add projects --stage scoping:20 --stage build:60 \
    --stage delivered:100:won --stage dropped:0:lost
at 2026-11-02T10:00 deal add "T3 客服中心 CRM" --account 白云 --contact 王芳 --amount 1.2m \
    --currency CNY --close 2026-12-31 --competitor Salesforce --tag crm
at 2026-11-02T10:05 deal add "Harbour loyalty upgrade" --account "Harbour Hotels Group" \
    --contact "Grace Lau" --amount 85000.50 --currency USD --close 2026-11-30
at 2026-11-02T10:10 deal add "Shenzhen Wi-Fi rollout" --account "Harbour Hotels Shenzhen" \
    --pipeline projects --amount 300k --currency CNY --close 2027-01-31
at 2026-11-02T10:15 --as lin deal add "Lin Mei consulting" --account "Lin Mei" --amount 20000 \
    --currency CNY --close 2026-11-15

# Day 2: activities, tasks (one repeating, one chained), a follow-up from a visit.
at 2026-11-03T10:00 log visit "Kick-off at T3" --account 白云 --contact 王芳 --deal T3 \
    --at "2026-11-03 09:00" --minutes 90 --outcome "needs a demo" \
    --next "Send the proposal" --due 2026-11-06
at 2026-11-03T11:00 activity add call "Intro call" --account "Harbour Hotels Group" \
    --contact "Grace Lau" --minutes 20
at 2026-11-03T11:30 activity add meeting "Demo for Harbour" --account "Harbour Hotels Group" \
    --at "2026-11-25 14:00" --minutes 60
at 2026-11-03T12:00 task add "Weekly pipeline review" --due "2026-11-06 17:00" --repeat weekly
at 2026-11-03T12:05 task add "Check in with Grace" --account "Harbour Hotels Group" \
    --contact "Grace Lau" --due 2026-11-10 --chain 2w --priority high
at 2026-11-03T12:10 --as lin task add "Invoice Lin Mei" --account "Lin Mei" --due 2026-11-20

# Day 9: edits, stage moves, a won and a lost deal, tasks done.
at 2026-11-09T09:00 account edit 白云 --tier A --industry aviation --tag key --untag 重点
at 2026-11-09T09:05 deal move T3 proposal
at 2026-11-09T09:10 deal move "Shenzhen Wi-Fi" build
at 2026-11-09T09:15 --as lin deal won "Lin Mei consulting" --reason "fixed fee"
at 2026-11-09T09:20 deal lost "Harbour loyalty" --reason "budget frozen"
at 2026-11-09T09:25 deal edit "Harbour loyalty" --cost 1200
at 2026-11-09T09:30 task done "Send the proposal" "Weekly pipeline review"
at 2026-11-09T09:35 task done "Check in with Grace"
at 2026-11-09T09:40 task snooze "Weekly pipeline review" 2026-11-14 17:00

# Day 10: a lead converted, another disqualified; a merge; the trash; an undo.
at 2026-11-10T09:00 lead convert "Li Wei" --deal "Line 16 ticketing" --amount 600k --currency CNY \
    --close 2027-03-31
at 2026-11-10T09:05 lead edit "Sam Chen" --status disqualified --notes "no budget this year"
at 2026-11-10T09:10 merge contact "Grace Lau" "Grace Lau (old card)"
at 2026-11-10T09:15 account add "Temporary Co" --tier C
at 2026-11-10T09:20 account rm "Temporary Co"
at 2026-11-10T09:25 activity add note "Wrong account" --account 白云
at 2026-11-10T09:30 activity rm "Wrong account"
at 2026-11-10T09:35 account edit "Harbour Hotels Shenzhen" --city Shenzhen
at 2026-11-10T09:40 account rm "Lin Mei"
at 2026-11-10T09:45 account restore "Lin Mei"
at 2026-11-10T09:50 deal edit T3 --amount 1.25m
at 2026-11-10T09:55 undo --yes

# Day 12: an import kept and an import undone.
printf 'name,company,email,phone\nZhang Wei,广州白云国际机场,zhang.wei@baiyun.example,13900001111\nAnna Schmidt,Müller GmbH,anna@mueller.example,\n' >"$work/people.csv"
at 2026-11-12T09:00 import csv "$work/people.csv" --entity contact --create-missing
printf 'name,city,tier\nOne-off Trading,Xiamen,C\n' >"$work/once.csv"
batch=$(at 2026-11-12T09:05 import csv "$work/once.csv" --entity account | sed -n 's/.*; batch \([0-9]*\) .*/\1/p')
at 2026-11-12T09:10 import undo "$batch"

# Day 16: reminders delivered.
at 2026-11-16T08:00 remind
at 2026-11-20T08:00 remind --json >/dev/null

at 2026-11-20T09:00 check
# The file is for schema version 7 only: a later kith makes its own file.
at 2026-11-20T09:00 export json --all -o "$work/dump.json"
grep -q '^  "schema_version": 7,$' "$work/dump.json" || {
    echo "make.sh: this kith does not write schema version 7; keep v7.db as it is" >&2
    exit 1
}
at 2026-11-20T09:00 backup "$work/v7.db"
if command -v sqlite3 >/dev/null; then
    sqlite3 "$work/v7.db" VACUUM
else
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("VACUUM")' "$work/v7.db"
fi
# The dump of the file itself, as kith opens it (which leaves it in WAL mode, as every
# database kith has opened).
KITH_DB=$work/v7.db at 2026-11-20T09:00 export json --all -o "$work/v7.json"
cmp -s "$work/dump.json" "$work/v7.json"
mv "$work/v7.db" "$work/v7.json" "$here/"
ls -l "$here/v7.db" "$here/v7.json"
