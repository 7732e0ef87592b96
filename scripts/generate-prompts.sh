#!/usr/bin/env bash
# Generates a Mandarin demo set of every IVR prompt with espeak-ng (voice cmn), converted
# with sox to what Asterisk plays best: 8 kHz, mono, 16-bit signed PCM wav. Also the zh
# `digits/` sounds Asterisk's `digits:` and `number:` media use to read ticket numbers and
# dates. A real centre replaces these with recorded voice files of the same names.
#
#   scripts/generate-prompts.sh [config file] [output dir]
#   defaults: config/hotline.example.yaml  var/sounds   (var/ is not committed)
#
# The sound name of each prompt is read from the config (prompts.sounds.<id>.zh), so the
# files land where `sound:<name>` looks. A real Asterisk mounts <output>/hotline and
# <output>/zh under /var/lib/asterisk/sounds/ (e.g. docker-compose volumes).
# Needs: node (for the YAML), espeak-ng and sox (Debian: apt-get install espeak-ng sox).
set -euo pipefail

cd "$(dirname "$0")/.."
CONFIG="${1:-config/hotline.example.yaml}"
OUT="${2:-var/sounds}"

for tool in espeak-ng sox node; do
  command -v "$tool" >/dev/null || { echo "missing $tool (Debian: apt-get install espeak-ng sox)" >&2; exit 1; }
done

# Demo texts, one per prompt id. Service numbers are written digit by digit, as operators say them.
declare -A TEXT=(
  [welcome]="您好，欢迎致电一二三四五政务服务便民热线。"
  [welcome-12345]="您好，欢迎致电一二三四五政务服务便民热线。"
  [welcome-12315]="您好，这里是一二三一五市场监管投诉举报热线，已并入一二三四五热线统一受理。"
  [welcome-96128]="您好，这里是九六一二八住房公积金热线。"
  [call-recorded]="为了保证服务质量，您的通话将被录音。"
  [emergency-notice]="如遇报警、火警、急救等紧急情况，请按九转接。"
  [emergency-failed]="很抱歉，紧急转接未能接通。请立即挂机，直接拨打幺幺零、幺幺九或幺二零。"
  [main-menu]="政务咨询、求助、投诉、建议，请按一；企业诉求，请按二；查询工单办理进度，请按三；水电气热故障报修，请按四；人工服务，请按零。"
  [market-menu]="消费投诉举报，请按一；人工服务，请按零。"
  [no-input]="对不起，没有收到您的按键。"
  [invalid-key]="对不起，您的按键有误。"
  [transferring-to-agent]="正在为您转接人工座席，请稍候。"
  [night-service]="现在是夜间时段，正在为您转接值班座席，请稍候。"
  [transferring-96345]="正在为您转接九六三四五水电气热报修热线，请稍候。"
  [transferring-110]="正在为您转接幺幺零联动中心，请不要挂机。"
  [transferring-119]="正在为您转接幺幺九消防救援，请不要挂机。"
  [transferring-120]="正在为您转接幺二零急救中心，请不要挂机。"
  [transferring-122]="正在为您转接幺二二交通事故报警，请不要挂机。"
  [queue-position-before]="您前面还有"
  [queue-position-after]="位市民在等候。"
  [queue-wait-before]="预计等待"
  [queue-wait-after]="分钟。"
  [virtual-hold-offer]="如需保留排队位置并由我们回拨，请按一，然后挂机。"
  [enterprise-closed-menu]="企业专线的服务时间为工作日上午八点半至十二点，下午一点半至五点半。留下回电请求，请按一；转接值班座席，请按零。"
  [housing-closed-menu]="现在是非工作时间。留下回电请求，请按一；转接一二三四五值班座席，请按零。"
  [callback-taken]="正在为您登记回电请求。"
  [ticket-enter-number]="请输入您的工单编号，以井号键结束。"
  [ticket-intro]="您查询的工单编号为"
  [ticket-state-accepted]="该工单已受理。"
  [ticket-state-dispatched]="该工单已派发至承办单位。"
  [ticket-state-in-progress]="该工单正在办理中。"
  [ticket-state-closed]="该工单已办结。"
  [ticket-due-date]="办理期限为"
  [month]="月"
  [day]="日"
  [ticket-not-found]="对不起，未查询到该工单，请核对后重新输入。"
  [ticket-unavailable]="对不起，工单查询系统暂时无法使用，正在为您转接人工座席。"
  [ticket-after-menu]="返回主菜单，请按一；转人工服务，请按零；结束查询，请挂机。"
  [restricted-notice]="您近期来电过于频繁，热线暂时无法受理您的来电，请稍后再拨。"
  [system-busy]="对不起，系统繁忙，请稍后再拨。"
  [goodbye]="感谢您的来电，再见。"
  [survey-intro]="您好，这里是一二三四五政务服务便民热线，现对您反映的问题进行回访。您的工单编号为"
  [survey-question]="对办理结果非常满意请按一，满意请按二，基本满意请按三，不满意请按四，非常不满意请按五；转人工服务请按零。"
  [survey-you-rated]="您的评价是"
  [survey-rating-1]="非常满意。"
  [survey-rating-2]="满意。"
  [survey-rating-3]="基本满意。"
  [survey-rating-4]="不满意。"
  [survey-rating-5]="非常不满意。"
  [survey-thanks]="感谢您对我们工作的支持，再见。"
  [survey-invalid]="对不起，您的按键有误。"
  [survey-no-input]="对不起，没有收到您的按键。"
)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

say() { # say <text> <output wav>
  mkdir -p "$(dirname "$2")"
  espeak-ng -v cmn -s 165 -w "$TMP/raw.wav" "$1"
  # -G and a little headroom: espeak-ng peaks at full scale and resampling would clip.
  sox -G "$TMP/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$2" gain -n -3
}

# prompt id <TAB> zh sound name, from the config.
mapfile -t PROMPTS < <(node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { parse } from "yaml";
  const doc = parse(readFileSync(process.argv[1], "utf8"));
  for (const [id, byLang] of Object.entries(doc.prompts?.sounds ?? {})) if (byLang.zh) console.log(`${id}\t${byLang.zh}`);
' "$CONFIG")

missing=0
for line in "${PROMPTS[@]}"; do
  id="${line%%$'\t'*}"
  sound="${line#*$'\t'}"
  if [[ -z "${TEXT[$id]+x}" ]]; then
    echo "no demo text for prompt \"$id\" (add it to TEXT in $0)" >&2
    missing=1
    continue
  fi
  say "${TEXT[$id]}" "$OUT/$sound.wav"
done

# zh digits for `digits:` (ticket numbers) and `number:` (month and day): the files Asterisk's
# Chinese number mode (say.c ast_say_number_full_zh) asks for, read from <sounds>/zh/digits/
# on a channel or playback whose language is zh (pjsip.conf sets it; the service passes it).
ZH_DIGITS=(零 一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十)
for n in "${!ZH_DIGITS[@]}"; do say "${ZH_DIGITS[$n]}" "$OUT/zh/digits/$n.wav"; done
for n in 30 40 50 60 70 80 90; do say "${ZH_DIGITS[$((n / 10))]}十" "$OUT/zh/digits/$n.wav"; done
say "百" "$OUT/zh/digits/hundred.wav"
say "千" "$OUT/zh/digits/thousand.wav"
say "万" "$OUT/zh/digits/wan.wav"
say "亿" "$OUT/zh/digits/yi.wav"

count=$(find "$OUT" -name '*.wav' | wc -l)
echo "wrote $count sound files under $OUT"
exit "$missing"
