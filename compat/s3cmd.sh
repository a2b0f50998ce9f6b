#!/usr/bin/env bash
# compat/s3cmd.sh — a scripted s3cmd session against tarn (SigV4, path
# style, plain HTTP) with a generated config file. Uses /usr/bin/s3cmd.
# Every check prints "PASS name" or "FAIL name: detail". Exits 1 if any
# check failed.
set -uo pipefail

: "${AWS_ENDPOINT_URL:?AWS_ENDPOINT_URL must be set}"
HOSTPORT=${AWS_ENDPOINT_URL#http://}
HOSTPORT=${HOSTPORT%/}
T=$(mktemp -d "${TARN_COMPAT_TMP:-${TMPDIR:-/tmp}}/s3cmd.XXXXXX")
trap 'rm -rf "$T"' EXIT
CFG=$T/s3cfg
cat >"$CFG" <<EOF
[default]
access_key = test
secret_key = test
host_base = $HOSTPORT
host_bucket = $HOSTPORT
bucket_location = us-east-1
use_https = False
signature_v2 = False
check_ssl_certificate = False
multipart_chunk_size_mb = 5
socket_timeout = 60
progress_meter = False
guess_mime_type = True
EOF

FAILS=0
pass() { echo "PASS $1"; }
fail() {
	FAILS=$((FAILS + 1))
	local d
	d=$(printf '%s' "$2" | tr '\n' '\r' | sed 's/\r/ | /g' | cut -c1-600)
	echo "FAIL $1: $d"
}
s3c() { HOME=$T timeout 120 /usr/bin/s3cmd -c "$CFG" "$@"; }
ok() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "rc=$? $out"; fi
}
md5() { md5sum "$1" | cut -d' ' -f1; }

B=s3cmd-bucket
cd "$T" || exit 1

out=$(s3c mb "s3://$B" 2>&1)
if [ $? -eq 0 ] && grep -q "Bucket 's3://$B/' created" <<<"$out"; then pass s3cmd-mb; else fail s3cmd-mb "$out"; fi

printf 'hello from s3cmd\n' >hello.txt
ok s3cmd-put s3c put hello.txt "s3://$B/hello.txt"
ok s3cmd-get s3c get "s3://$B/hello.txt" hello.down
if cmp -s hello.txt hello.down; then pass s3cmd-roundtrip; else fail s3cmd-roundtrip "bytes differ"; fi

head -c $((12 * 1024 * 1024)) /dev/urandom >big.bin
out=$(s3c --progress put big.bin "s3://$B/dir/big.bin" 2>&1)
if [ $? -eq 0 ] && grep -q 'part 3 of 3' <<<"$out"; then pass s3cmd-put-multipart; else fail s3cmd-put-multipart "$out"; fi
ok s3cmd-get-multipart s3c get "s3://$B/dir/big.bin" big.down
if cmp -s big.bin big.down; then pass s3cmd-roundtrip-multipart; else fail s3cmd-roundtrip-multipart "bytes differ"; fi
printf 'spaces and unicode\n' >"file with spaces ü.txt"
ok s3cmd-put-unicode s3c put "file with spaces ü.txt" "s3://$B/dir/file with spaces ü.txt"

out=$(s3c ls 2>&1)
if [ $? -eq 0 ] && grep -q "s3://$B\$" <<<"$out"; then pass s3cmd-ls-buckets; else fail s3cmd-ls-buckets "$out"; fi
out=$(s3c ls "s3://$B" 2>&1)
if [ $? -eq 0 ] && grep -qE "DIR +s3://$B/dir/\$" <<<"$out" && grep -qE " 17 +s3://$B/hello.txt\$" <<<"$out"; then
	pass s3cmd-ls-bucket
else
	fail s3cmd-ls-bucket "$out"
fi
out=$(s3c ls --recursive "s3://$B" 2>&1)
if [ $? -eq 0 ] && [ "$(grep -c "s3://$B/" <<<"$out")" -eq 3 ] && grep -q "s3://$B/dir/file with spaces ü.txt\$" <<<"$out"; then
	pass s3cmd-ls-recursive
else
	fail s3cmd-ls-recursive "$out"
fi
out=$(s3c la 2>&1)
if [ $? -eq 0 ] && grep -q "s3://$B/hello.txt\$" <<<"$out" && grep -q "s3://$B/dir/" <<<"$out"; then pass s3cmd-la; else fail s3cmd-la "$out"; fi
want=$((17 + 12 * 1024 * 1024 + 19))
out=$(s3c du "s3://$B" 2>&1)
if [ $? -eq 0 ] && grep -qE "^ *$want +3 objects" <<<"$out"; then pass s3cmd-du; else fail s3cmd-du "want $want bytes in 3 objects: $out"; fi

out=$(s3c info "s3://$B/hello.txt" 2>&1)
if [ $? -eq 0 ] && grep -qE 'File size: +17$' <<<"$out" && grep -qE "MD5 sum: +$(md5 hello.txt)\$" <<<"$out" &&
	grep -qE 'MIME type: +text/plain' <<<"$out"; then
	pass s3cmd-info-object
else
	fail s3cmd-info-object "$out"
fi
out=$(s3c info "s3://$B/dir/big.bin" 2>&1)
if [ $? -eq 0 ] && grep -qE "MD5 sum: +$(md5 big.bin)\$" <<<"$out"; then pass s3cmd-info-multipart-md5; else fail s3cmd-info-multipart-md5 "$out"; fi
out=$(s3c info "s3://$B" 2>&1)
if [ $? -eq 0 ] && grep -qE 'Location: +us-east-1$' <<<"$out"; then pass s3cmd-info-bucket; else fail s3cmd-info-bucket "$out"; fi

ok s3cmd-cp s3c cp "s3://$B/hello.txt" "s3://$B/hello-copy.txt"
ok s3cmd-get-copy s3c get "s3://$B/hello-copy.txt" copy.down
if cmp -s hello.txt copy.down; then pass s3cmd-cp-bytes; else fail s3cmd-cp-bytes "bytes differ"; fi
ok s3cmd-mv s3c mv "s3://$B/hello-copy.txt" "s3://$B/hello-moved.txt"
out=$(s3c ls "s3://$B/" 2>&1)
if grep -q hello-moved.txt <<<"$out" && ! grep -q hello-copy.txt <<<"$out"; then pass s3cmd-mv-listing; else fail s3cmd-mv-listing "$out"; fi

ok s3cmd-del s3c del "s3://$B/hello.txt"
out=$(s3c get "s3://$B/hello.txt" gone.down 2>&1)
if [ $? -ne 0 ] && grep -qE '404|does not exist' <<<"$out"; then pass s3cmd-del-gone; else fail s3cmd-del-gone "$out"; fi

# sync up, again (no-op), down
mkdir -p tree/sub/deeper "tree/with space" "tree/ünï"
printf '1\n' >tree/one.txt
printf '2\n' >tree/sub/two.txt
printf '3\n' >tree/sub/deeper/three.txt
printf '4\n' >"tree/with space/four five.txt"
printf '5\n' >"tree/ünï/日本.txt"
out=$(s3c sync tree/ "s3://$B/tree/" 2>&1)
if [ $? -eq 0 ] && [ "$(grep -c '^upload:' <<<"$out")" -eq 5 ]; then pass s3cmd-sync-up; else fail s3cmd-sync-up "$out"; fi
out=$(s3c sync tree/ "s3://$B/tree/" 2>&1)
if [ $? -eq 0 ] && [ "$(grep -c '^upload:' <<<"$out")" -eq 0 ]; then pass s3cmd-sync-up-again-noop; else fail s3cmd-sync-up-again-noop "$out"; fi
out=$(s3c sync "s3://$B/tree/" tree.down/ 2>&1)
if [ $? -eq 0 ] && d=$(diff -r tree tree.down 2>&1); then pass s3cmd-sync-down; else fail s3cmd-sync-down "$out $d"; fi
printf 'changed\n' >tree/one.txt
rm tree/sub/two.txt
out=$(s3c sync --delete-removed tree/ "s3://$B/tree/" 2>&1)
if [ $? -eq 0 ] && grep -q "^upload: 'tree/one.txt'" <<<"$out" && grep -q "^delete: 's3://$B/tree/sub/two.txt'" <<<"$out"; then
	pass s3cmd-sync-changes
else
	fail s3cmd-sync-changes "$out"
fi

# errors
out=$(s3c mb --bucket-location=eu-west-1 "s3://$B-eu" 2>&1) && out=$(s3c mb --bucket-location=eu-west-1 "s3://$B-eu" 2>&1)
if [ $? -ne 0 ] && grep -q 'BucketAlreadyOwnedByYou' <<<"$out"; then pass s3cmd-mb-existing; else fail s3cmd-mb-existing "$out"; fi
s3c rb "s3://$B-eu" >/dev/null 2>&1
out=$(s3c ls "s3://s3cmd-no-such-bucket" 2>&1)
if [ $? -ne 0 ] && grep -q 'NoSuchBucket' <<<"$out"; then pass s3cmd-no-such-bucket; else fail s3cmd-no-such-bucket "$out"; fi
out=$(s3c rb "s3://$B" 2>&1)
if [ $? -ne 0 ] && grep -q 'BucketNotEmpty' <<<"$out"; then pass s3cmd-rb-not-empty; else fail s3cmd-rb-not-empty "$out"; fi

ok s3cmd-del-recursive s3c del --recursive --force "s3://$B"
out=$(s3c ls --recursive "s3://$B" 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then pass s3cmd-empty-after-del; else fail s3cmd-empty-after-del "$out"; fi
out=$(s3c rb "s3://$B" 2>&1)
if [ $? -eq 0 ] && grep -q "Bucket 's3://$B/' removed" <<<"$out"; then pass s3cmd-rb; else fail s3cmd-rb "$out"; fi

[ "$FAILS" -eq 0 ]
