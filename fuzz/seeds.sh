#!/usr/bin/env bash
# Builds the seed corpora in fuzz/seeds/<target>/ from testdata/ and a few inline values.
# Each seed starts with the selector byte the target reads first (see fuzz_targets/*.rs).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf seeds && mkdir -p seeds/{chat_export,cloud_api,orders,money,phone}
n=0
for f in ../testdata/chats/*.txt; do
  n=$((n + 1)); { printf '\0'; head -c 4000 "$f"; } > "seeds/chat_export/$n"
done
# The Cloud API file, a few lines per seed.
split -l 3 -a 3 ../testdata/cloud/webhooks.jsonl seeds/cloud_api/w
# Orders: the selector byte is the preset (0 auto … 5 generic) + 6 × extension (0 csv, 1 json, 2 jsonl).
o() { { printf "\\$(printf '%03o' "$1")"; head -c 4000 "$2"; } > "seeds/orders/$(basename "$2")"; }
o 0 ../testdata/orders/shopify_small.csv
o 0 ../testdata/orders/woocommerce_plugin.csv
o 0 ../testdata/orders/nuvemshop_small.csv
o 6 ../testdata/orders/woocommerce_rest.json
o 6 ../testdata/orders/vtex_order.json
o 6 ../testdata/orders/vtex_list.json
o 5 ../testdata/orders/generic_ambiguous.csv
o 17 ../testdata/orders/generic.jsonl
n=0
for v in '1234.56' '1.234,56' 'R$ 1.234,56' '1,234.56' '-12,50' 'R$ -12,50' '12,50 BRL' '1.234' '0,001' '9223372036854775807'; do
  n=$((n + 1)); printf '\001%s' "$v" > "seeds/money/$n"
done
n=0
for v in '+55 41 98888-7777' '(41) 8888-7777' '5541988887777' 'whatsapp:+5541988887777' '0xx41 98888 7777' \
         '+1 (415) 555-0100 ext. 12' '5541988887777@s.whatsapp.net' 'Ana Souza' 'ana@example.com'; do
  n=$((n + 1)); printf '\000%s' "$v" > "seeds/phone/$n"
done
{ printf '\200'; head -c 2000 ../testdata/contacts/"$(ls ../testdata/contacts | head -1)"; } > seeds/phone/contacts
echo "seeds: $(find seeds -type f | wc -l) files"
