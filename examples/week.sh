#!/usr/bin/env bash
# A week of sales work, entered through kith's scripted commands.
#
# Mei sells a customer-service CRM to airports, metros, hotels and distributors in
# South China. This script replays her week, Monday 2026-11-16 to Friday 2026-11-20,
# into a fresh database in a temporary folder, moving kith's clock day by day with
# KITH_NOW. At the end it prints the pipeline, her open tasks and her open deals.
#
#   bash examples/week.sh                        # kith on PATH
#   KITH_BIN=target/debug/kith bash examples/week.sh
#   KEEP=1 bash examples/week.sh                 # keep the database and print its path
#
# The output is the same on every run.
set -euo pipefail

KITH_BIN=${KITH_BIN:-kith}
kith() { command "$KITH_BIN" "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kith-week.XXXXXX")
if [[ -n ${KEEP:-} ]]; then
    echo "database: $work/week.db" >&2
else
    trap 'rm -rf "$work"' EXIT
fi

# Everything kith reads from the environment is set here, so the run is deterministic.
export KITH_DB="$work/week.db"        # a new, empty database
export KITH_CONFIG="$work/config.toml" # our own configuration, not the user's
export KITH_USER=mei                  # who the changes are recorded as
export TZ=UTC                         # stored timestamps do not depend on where this runs
export NO_COLOR=1
cat >"$KITH_CONFIG" <<'EOF'
# Deals that name no currency are in yuan.
currency = "CNY"
EOF

# Move the pinned clock: every change below is recorded at this time.
day() {
    export KITH_NOW="$1"
    echo "== $2" >&2
}

# ---------------------------------------------------------------------------------------
day 2026-11-16T09:00 "Monday: set up the accounts she works this month"

baiyun=$(kith account add 广州白云国际机场 --type customer --tier A --industry aviation \
    --city 广州 --region 广东 --country China --phone "+86 20 3606 6999" --tag vip --tag airport)
harbour=$(kith account add "Harbour Hotels Group" --type customer --tier B --industry hospitality \
    --city "Hong Kong" --country China --website harbourhotels.example)
harbour_sz=$(kith account add "Harbour Hotels Shenzhen" --parent "$harbour" --type customer \
    --tier B --industry hospitality --city 深圳)
huanan=$(kith account add 华南医药分销有限公司 --type distributor --tier C --industry pharma \
    --city 佛山 --source referral)

wang=$(kith contact add 王芳 --account "$baiyun" --title "IT Director" --role "decision maker" \
    --email wang.fang@baiyun.example --phone 13800138000 --birthday 1982-03-14)
chen=$(kith contact add 陈刚 --account "$baiyun" --title 采购经理 --role influencer \
    --phone "020-3606 1234")
grace=$(kith contact add "Grace Lau" --account "$harbour" --title "Guest Services Manager" \
    --role "decision maker" --email grace.lau@harbourhotels.example \
    --email grace@harbour.example --phone "+852 2123 4567")
liu=$(kith contact add 刘洋 --account "$huanan" --title 销售总监 --role user --phone 13912345678)

# A lead from last week's exhibition, not qualified yet.
lead=$(kith lead add 赵磊 --company 深圳地铁集团 --title 信息中心主任 --source exhibition \
    --phone 0755-2399-0000 --email zhao.lei@szmetro.example --score 40 --tag metro)

t3=$(kith deal add "T3 客服中心 CRM" --account "$baiyun" --contact "$wang" --amount 1.2m \
    --close eoq --source referral --competitor "Salesforce")
loyalty=$(kith deal add "Harbour loyalty upgrade" --account "$harbour" --contact "$grace" \
    --amount 250k --close 2026-12-15)
coldchain=$(kith deal add "冷链拜访跟踪" --account "$huanan" --contact "$liu" --amount 180,000 \
    --close 2026-12-31)

kith log call "Intro call: loyalty programme pain points" --contact "$grace" --deal "$loyalty" \
    --minutes 25 --outcome "interested; wants references" \
    --next "Send hotel case studies to Grace" --due tue >/dev/null
kith log note "T3 terminal opens in March; budget approved in Q4" --account "$baiyun" >/dev/null

# ---------------------------------------------------------------------------------------
day 2026-11-17T10:30 "Tuesday: case studies out, first visit to the airport"

kith task done "Send hotel case studies"
kith log email "Case studies: three hotel groups" --contact "$grace" --deal "$loyalty" >/dev/null

kith log visit "拜访王芳：T3 客服需求" --contact "$wang" --deal "$t3" --at "today 14:00" \
    --minutes 90 --body "Walked the T2 service desk; 40 agents, three shifts." \
    --outcome "需求确认，下周要方案" --next "准备 T3 方案" --due "thu 12:00" >/dev/null
kith deal move "$t3" "needs analysis"

kith log call "Called 赵磊 after the exhibition" --lead "$lead" --minutes 15 \
    --outcome "budget for 2027, wants a demo" >/dev/null
kith lead edit "$lead" --status contacted --score 65

# ---------------------------------------------------------------------------------------
day 2026-11-18T09:15 "Wednesday: the metro lead becomes a deal"

kith lead edit 赵磊 --status qualified --score 80
converted=$(kith lead convert 赵磊 --deal "14 号线乘客服务 CRM" --amount 600k --close 2027-02-26)
metro=$(awk '$1 == "account" { print $2 }' <<<"$converted")
metro_deal=$(awk '$1 == "deal" { print $2 }' <<<"$converted")

kith log meeting "Demo for 深圳地铁 IT" --deal "$metro_deal" --at "today 15:00" --minutes 60 \
    --outcome "liked the CJK search" --next "Send demo recording" --due tomorrow >/dev/null
kith account edit "$metro" --type prospect --tier A --industry transport --city 深圳

kith deal move "Harbour loyalty" proposal
kith log visit "Site visit, Harbour Hotels Shenzhen" --account "$harbour_sz" --contact "$grace" \
    --minutes 120 --outcome "front desk on board" >/dev/null

kith log call "刘洋：冷链项目进度" --contact "$liu" --deal "$coldchain" --minutes 10 \
    --outcome "competitor quoted 30% lower" --next "Ask 刘洋 for the competitor's quote" \
    --due "today 17:00" >/dev/null

# ---------------------------------------------------------------------------------------
day 2026-11-19T11:00 "Thursday: proposals"

kith task done "准备 T3 方案" "Send demo recording"
kith deal move "T3 客服" proposal
kith log email "T3 方案 v1 发送" --contact "$wang" --deal "$t3" --body "Proposal attached." \
    --next "Follow up on the T3 proposal" --due "mon 10am" >/dev/null
kith log call "陈刚 on procurement steps" --contact "$chen" --deal "$t3" --minutes 20 \
    --outcome "tender needs three quotes" >/dev/null

kith deal move "Harbour loyalty" negotiation --probability 80
kith task add "Book flights to Guangzhou" --due fri --priority low >/dev/null
kith task add "Quarterly review with 王芳" --due "2026-12-03 15:00" --priority high \
    --account "$baiyun" --contact "$wang" >/dev/null

# ---------------------------------------------------------------------------------------
day 2026-11-20T16:45 "Friday: one won, one lost"

kith deal won "Harbour loyalty" --reason "references and CJK support"
kith log call "Grace signed" --deal "$loyalty" --minutes 5 \
    --next "Kick-off with Harbour Hotels IT" --due "next wed 10am" >/dev/null

kith task done "Ask 刘洋"
kith deal edit "$coldchain" --competitor "本地 SFA 厂商"
kith deal lost "$coldchain" --reason "price: competitor 30% lower"
kith account edit "$huanan" --status dormant

kith log visit "拜访深圳地铁信息中心" --deal "$metro_deal" --minutes 45 \
    --outcome "IT and operations both in" --next "Needs analysis workshop" --due "next tue 14:00" \
    >/dev/null
kith deal move "$metro_deal" "needs analysis"
kith task done "Book flights"

# ---------------------------------------------------------------------------------------
# Friday afternoon: where things stand.

echo
echo "# Pipeline"
kith pipeline list

echo
echo "# Open tasks"
kith task list done:no --columns id,title,due,priority,account

echo
echo "# Open deals of 500k or more, by expected close"
kith deal list status:open 'amount>=500k' --sort close \
    --columns id,title,account,amount,stage,probability,expected_close

echo
echo "# Deals closed this week"
kith deal list status.not:open 'closed>=sow' --columns id,title,status,reason,competitor

echo
echo "# The week in activities"
kith activity list 'at>=2026-11-16' --sort at --columns at,kind,subject,account
