#!/usr/bin/env bash
# compat/awscli.sh — a scripted awscli v2 session against tarn.
#
# Run by compat/run.sh with AWS_ENDPOINT_URL and the test credentials in
# the environment. Uses the Debian awscli (/usr/bin/aws) explicitly.
# Every check prints "PASS name" or "FAIL name: detail"; it never stops at
# the first failure. Exits 1 if any check failed.
set -uo pipefail

COMPAT_SESSION=awscli
. "$(dirname "$0")/common.sh"

# same_file NAME A B
same_file() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$2 and $3 differ ($(wc -c <"$2" 2>/dev/null || echo missing) vs $(wc -c <"$3" 2>/dev/null || echo missing) bytes)"; fi
}
md5() { md5sum "$1" | cut -d' ' -f1; }

B=cli-bucket
A=api-bucket
cd "$T" || exit 1

# The two halves use separate buckets and run concurrently (awscli
# start-up dominates the run time); their reports are printed in order.
part_s3() {
	mkdir -p "$T/s3" && cd "$T/s3" || return 1
	out=$(aws s3 mb "s3://$B" 2>&1)
	if [ $? -eq 0 ] && grep -q "make_bucket: $B" <<<"$out"; then pass s3-mb; else fail s3-mb "$out"; fi
	# us-east-1 keeps S3's legacy 200 OK for re-creating your own bucket.
	ok s3-mb-existing-us-east-1 aws s3 mb "s3://$B"

	# small file up and down
	printf 'hello from the tarn compat suite\n' >small.txt
	ok s3-cp-up-small aws s3 cp small.txt "s3://$B/small.txt"
	ok s3-cp-down-small aws s3 cp "s3://$B/small.txt" small.down
	same_file s3-cp-roundtrip-small small.txt small.down

	# 20 MiB: over awscli's 8 MiB multipart threshold, so three parts.
	head -c $((20 * 1024 * 1024)) /dev/urandom >big.bin
	out=$(aws s3 cp big.bin "s3://$B/big.bin" 2>&1)
	if [ $? -eq 0 ]; then pass s3-cp-up-multipart; else fail s3-cp-up-multipart "$out"; fi
	etag=$(q s3api head-object --bucket "$B" --key big.bin --query ETag)
	want=$($PY - big.bin <<-'EOF'
	import hashlib, sys
	data = open(sys.argv[1], "rb").read()
	step = 8 * 1024 * 1024
	parts = [hashlib.md5(data[i:i + step]).digest() for i in range(0, len(data), step)]
	print('"%s-%d"' % (hashlib.md5(b"".join(parts)).hexdigest(), len(parts)))
	EOF
	)
	eq s3-cp-multipart-etag "$etag" "$want"
	eq s3-cp-multipart-size "$(q s3api head-object --bucket "$B" --key big.bin --query ContentLength)" $((20 * 1024 * 1024))
	ok s3-cp-down-multipart aws s3 cp "s3://$B/big.bin" big.down
	same_file s3-cp-roundtrip-multipart big.bin big.down

	# stdin / stdout streaming, small and multipart-sized
	printf 'streamed via stdin\n' >stream.txt
	out=$(aws s3 cp - "s3://$B/stream.txt" <stream.txt 2>&1)
	if [ $? -eq 0 ]; then pass s3-cp-stdin; else fail s3-cp-stdin "$out"; fi
	aws s3 cp "s3://$B/stream.txt" - >stream.down 2>stream.err
	if [ $? -eq 0 ]; then pass s3-cp-stdout; else fail s3-cp-stdout "$(cat stream.err)"; fi
	same_file s3-cp-stdin-roundtrip stream.txt stream.down
	head -c $((12 * 1024 * 1024)) /dev/urandom >stream-big.bin
	out=$(aws s3 cp - "s3://$B/stream-big.bin" <stream-big.bin 2>&1)
	if [ $? -eq 0 ]; then pass s3-cp-stdin-multipart; else fail s3-cp-stdin-multipart "$out"; fi
	etag=$(q s3api head-object --bucket "$B" --key stream-big.bin --query ETag)
	case $etag in *-2\") pass s3-cp-stdin-multipart-etag ;; *) fail s3-cp-stdin-multipart-etag "got [$etag], want a 2-part multipart ETag" ;; esac
	aws s3 cp "s3://$B/stream-big.bin" - 2>stream.err | cmp -s - stream-big.bin
	if [ $? -eq 0 ]; then pass s3-cp-stdout-multipart; else fail s3-cp-stdout-multipart "bytes differ: $(cat stream.err)"; fi

	# sync: a tree with spaces, unicode and nesting, up, down, and again (no-op)
	mkdir -p "tree/dir with spaces" "tree/ünïcødé/日本語" tree/nested/deep/er tree/empty
	printf 'top\n' >tree/top.txt
	printf 'spaced\n' >"tree/dir with spaces/file one.txt"
	printf 'unicode\n' >"tree/ünïcødé/日本語/ファイル.txt"
	printf 'leaf\n' >tree/nested/deep/er/leaf.txt
	printf 'plus+and&amp=\n' >"tree/nested/a+b&c=d.txt"
	head -c 100000 /dev/urandom >tree/nested/blob.bin
	NTREE=6
	# Old mtimes: sync compares them with LastModified (whole seconds), so a
	# file written in the second of its upload would look newer than its copy.
	find tree -exec touch -d '2020-01-02 03:04:05' {} +
	out=$(aws s3 sync --no-progress tree "s3://$B/tree" 2>&1)
	n=$(grep -c '^upload:' <<<"$out")
	if [ "$n" -eq $NTREE ]; then pass s3-sync-up; else fail s3-sync-up "uploaded $n of $NTREE: $out"; fi
	out=$(aws s3 sync --no-progress "s3://$B/tree" tree.down 2>&1)
	n=$(grep -c '^download:' <<<"$out")
	if [ "$n" -eq $NTREE ]; then pass s3-sync-down; else fail s3-sync-down "downloaded $n of $NTREE: $out"; fi
	if d=$(diff -r tree tree.down 2>&1) || [ "$d" == "Only in tree: empty" ]; then pass s3-sync-tree-identical; else fail s3-sync-tree-identical "$d"; fi
	out=$(aws s3 sync --no-progress tree "s3://$B/tree" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then pass s3-sync-up-again-noop; else fail s3-sync-up-again-noop "rc=$rc, transferred: $out"; fi
	out=$(aws s3 sync --no-progress "s3://$B/tree" tree.down 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then pass s3-sync-down-again-noop; else fail s3-sync-down-again-noop "rc=$rc, transferred: $out"; fi
	rm tree/top.txt
	out=$(aws s3 sync --no-progress tree "s3://$B/tree" --delete 2>&1)
	if [ $? -eq 0 ] && grep -q "^delete: s3://$B/tree/top.txt" <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
		pass s3-sync-delete
	else
		fail s3-sync-delete "$out"
	fi
	NTREE=$((NTREE - 1))

	# ls
	out=$(aws s3 ls 2>&1)
	if [ $? -eq 0 ] && grep -qE "^[0-9-]+ [0-9:]+ $B\$" <<<"$out"; then pass s3-ls-buckets; else fail s3-ls-buckets "$out"; fi
	out=$(aws s3 ls "s3://$B/" 2>&1)
	if [ $? -eq 0 ] && grep -qE '^ +PRE tree/$' <<<"$out" && grep -qE ' small\.txt$' <<<"$out" &&
		! grep -q 'leaf.txt' <<<"$out"; then
		pass s3-ls-prefixes
	else
		fail s3-ls-prefixes "$out"
	fi
	out=$(aws s3 ls "s3://$B/tree/" 2>&1)
	if [ $? -eq 0 ] && grep -qE '^ +PRE dir with spaces/$' <<<"$out" && grep -qE '^ +PRE ünïcødé/$' <<<"$out" &&
		grep -qE '^ +PRE nested/$' <<<"$out"; then
		pass s3-ls-prefixes-special-chars
	else
		fail s3-ls-prefixes-special-chars "$out"
	fi
	out=$(aws s3 ls "s3://$B/tree/" --recursive 2>&1)
	n=$(grep -c ' tree/' <<<"$out")
	if [ "$n" -eq $NTREE ] && grep -q ' tree/ünïcødé/日本語/ファイル.txt$' <<<"$out" && grep -q ' tree/dir with spaces/file one.txt$' <<<"$out" &&
		grep -q ' tree/nested/a+b&c=d.txt$' <<<"$out"; then
		pass s3-ls-recursive
	else
		fail s3-ls-recursive "$n keys: $out"
	fi
	out=$(aws s3 ls "s3://$B" --recursive --summarize 2>&1)
	rc=$?
	nobj=$((NTREE + 4)) # small.txt big.bin stream.txt stream-big.bin
	size=$(($(cat small.txt big.bin stream.txt stream-big.bin | wc -c) + $(find tree -type f -exec cat {} + | wc -c)))
	if [ $rc -eq 0 ] && grep -qE "^Total Objects: $nobj\$" <<<"$out" && grep -qE "^ *Total Size: $size\$" <<<"$out"; then
		pass s3-ls-summarize
	else
		fail s3-ls-summarize "want $nobj objects, $size bytes: $(tail -n 3 <<<"$out")"
	fi

	# server-side copies: over the 8 MiB threshold awscli copies in parts
	# (UploadPartCopy). --copy-props none skips the tag and metadata
	# look-ups, so the part copy itself is checked on its own first.
	out=$(aws s3 cp --no-progress --copy-props none "s3://$B/big.bin" "s3://$B/copies/big.bin" 2>&1)
	if [ $? -eq 0 ]; then pass s3-cp-s3-to-s3-multipart; else fail s3-cp-s3-to-s3-multipart "$out"; fi
	etag=$(q s3api head-object --bucket "$B" --key copies/big.bin --query ETag)
	case $etag in *-3\") pass s3-cp-s3-to-s3-multipart-etag ;; *) fail s3-cp-s3-to-s3-multipart-etag "got [$etag], want a 3-part multipart ETag" ;; esac
	aws s3 cp "s3://$B/copies/big.bin" - 2>copy.err | cmp -s - big.bin
	if [ $? -eq 0 ]; then pass s3-cp-s3-to-s3-multipart-bytes; else fail s3-cp-s3-to-s3-multipart-bytes "bytes differ: $(cat copy.err)"; fi
	# The default (--copy-props default) also copies the source's tags:
	# awscli calls GetObjectTagging on it (S3 answers an empty TagSet).
	out=$(aws s3 cp --no-progress "s3://$B/big.bin" "s3://$B/copies/big2.bin" 2>&1)
	if [ $? -eq 0 ]; then pass s3-cp-s3-to-s3-multipart-copy-props-default; else fail s3-cp-s3-to-s3-multipart-copy-props-default "$out"; fi
	aws s3 rm "s3://$B/copies/big2.bin" >/dev/null 2>&1
	ok s3-mv aws s3 mv "s3://$B/stream.txt" "s3://$B/copies/stream moved ü.txt"
	out=$(aws s3 ls "s3://$B/copies/" 2>&1)
	if grep -q ' stream moved ü.txt$' <<<"$out" && [ -z "$(aws s3 ls "s3://$B/stream.txt" 2>&1)" ]; then
		pass s3-mv-moved
	else
		fail s3-mv-moved "$out"
	fi

	# presign + curl
	url=$(aws s3 presign "s3://$B/small.txt" --expires-in 300 2>&1)
	if [ $? -eq 0 ] && [[ $url == http://* ]]; then
		pass s3-presign
		code=$(curl -s -o presigned.down -w '%{http_code}' --max-time 10 "$url")
		if [ "$code" == 200 ] && cmp -s presigned.down small.txt; then pass s3-presign-get; else fail s3-presign-get "status $code: $(head -c 300 presigned.down)"; fi
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${url/small.txt/big.bin}")
		if [ "$code" == 403 ]; then pass s3-presign-other-key-403; else fail s3-presign-other-key-403 "status $code"; fi
	else
		fail s3-presign "$url"
	fi
	ok s3-cp-up-special-key aws s3 cp small.txt "s3://$B/presign dir/ü file+1&x=y.txt"
	url=$(aws s3 presign "s3://$B/presign dir/ü file+1&x=y.txt" --expires-in 300 2>&1)
	code=$(curl -s -o presigned.down -w '%{http_code}' --max-time 10 "$url")
	if [ "$code" == 200 ] && cmp -s presigned.down small.txt; then pass s3-presign-get-special-key; else fail s3-presign-get-special-key "status $code: $(head -c 300 presigned.down)"; fi
	url=$(aws s3 presign "s3://$B/small.txt" --expires-in 1 2>&1)
	sleep 2
	code=$(curl -s -o expired.body -w '%{http_code}' --max-time 10 "$url")
	if [ "$code" == 403 ] && grep -q AccessDenied expired.body; then pass s3-presign-expired-403; else fail s3-presign-expired-403 "status $code: $(head -c 300 expired.body)"; fi

	# rm
	ok s3-rm aws s3 rm "s3://$B/small.txt"
	expect_error s3-rm-gone 404 aws s3api head-object --bucket "$B" --key small.txt
	out=$(aws s3 rm "s3://$B/tree/" --recursive 2>&1)
	n=$(grep -c '^delete:' <<<"$out")
	if [ "$n" -eq $NTREE ]; then pass s3-rm-recursive; else fail s3-rm-recursive "deleted $n of $NTREE: $out"; fi
	out=$(aws s3 ls "s3://$B/tree/" --recursive 2>&1)
	if [ -z "$out" ]; then pass s3-rm-recursive-empty; else fail s3-rm-recursive-empty "still listed: $out"; fi

	# rb
	expect_error s3-rb-not-empty BucketNotEmpty aws s3 rb "s3://$B"
	out=$(aws s3 rb "s3://$B" --force 2>&1)
	if [ $? -eq 0 ] && grep -q "remove_bucket: $B" <<<"$out"; then pass s3-rb-force; else fail s3-rb-force "$out"; fi
	expect_error s3-rb-gone 404 aws s3api head-bucket --bucket "$B"

}

part_s3api() {
	mkdir -p "$T/s3api" && cd "$T/s3api" || return 1
	out=$(aws s3api create-bucket --bucket "$A" 2>&1)
	if [ $? -eq 0 ] && grep -q "\"Location\": \"/$A\"" <<<"$out"; then pass s3api-create-bucket; else fail s3api-create-bucket "$out"; fi
	ok s3api-head-bucket aws s3api head-bucket --bucket "$A"
	out=$(q s3api list-buckets --query 'Buckets[].Name')
	if grep -qw "$A" <<<"$out"; then pass s3api-list-buckets; else fail s3api-list-buckets "$out"; fi
	out=$(aws s3api list-buckets --query 'Owner.ID' --output text 2>&1)
	if [ $? -eq 0 ] && [ -n "$out" ] && [ "$out" != None ]; then pass s3api-list-buckets-owner; else fail s3api-list-buckets-owner "$out"; fi
	out=$(aws s3api get-bucket-location --bucket "$A" 2>&1)
	if [ $? -eq 0 ] && grep -q '"LocationConstraint": null' <<<"$out"; then pass s3api-get-bucket-location; else fail s3api-get-bucket-location "$out"; fi

	# put-object with metadata and content type, head-object
	printf '0123456789abcdefghijklmnopqrstuvwxyz' >meta.txt
	out=$(aws s3api put-object --bucket "$A" --key meta.txt --body meta.txt --metadata color=blue,owner=compat \
		--content-type text/plain --query ETag --output text 2>&1)
	eq s3api-put-object-etag "$out" "\"$(md5 meta.txt)\""
	out=$(aws s3api head-object --bucket "$A" --key meta.txt 2>&1)
	got=$($PY -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Metadata"), d.get("ContentType"), d.get("ContentLength"))' <<<"$out" 2>&1)
	eq s3api-head-object-metadata "$got" "{'color': 'blue', 'owner': 'compat'} text/plain 36"
	out=$(aws s3api head-object --bucket "$A" --key meta.txt --if-none-match "\"$(md5 meta.txt)\"" 2>&1)
	if [ $? -ne 0 ] && grep -q '(304)' <<<"$out"; then pass s3api-head-object-if-none-match-304; else fail s3api-head-object-if-none-match-304 "$out"; fi
	expect_error s3api-head-object-if-match-412 '(412)' aws s3api head-object --bucket "$A" --key meta.txt --if-match '"00000000000000000000000000000000"'
	# flexible checksums
	want=$($PY -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' meta.txt)
	out=$(q s3api put-object --bucket "$A" --key ck.txt --body meta.txt --checksum-algorithm SHA256 --query ChecksumSHA256)
	eq s3api-put-object-checksum-sha256 "$out" "$want"
	out=$(q s3api head-object --bucket "$A" --key ck.txt --checksum-mode ENABLED --query ChecksumSHA256)
	eq s3api-head-object-checksum-mode "$out" "$want"
	# get-object with a range
	out=$(aws s3api get-object --bucket "$A" --key meta.txt --range bytes=10-15 range.out \
		--query '[ContentRange,ContentLength]' --output text 2>&1)
	eq s3api-get-object-range-headers "$out" "$(printf 'bytes 10-15/36\t6')"
	eq s3api-get-object-range-body "$(cat range.out 2>/dev/null)" abcdef
	out=$(aws s3api get-object --bucket "$A" --key meta.txt --range bytes=-4 range.out --output text --query ContentRange 2>&1)
	eq s3api-get-object-suffix-range "$out $(cat range.out 2>/dev/null)" "bytes 32-35/36 wxyz"
	expect_error s3api-get-object-range-unsatisfiable InvalidRange \
		aws s3api get-object --bucket "$A" --key meta.txt --range bytes=100-200 range.out

	# copy-object: COPY keeps metadata, REPLACE swaps it
	ok s3api-copy-object aws s3api copy-object --bucket "$A" --key copy-same.txt --copy-source "$A/meta.txt"
	got=$(q s3api head-object --bucket "$A" --key copy-same.txt --query '[Metadata.color,Metadata.owner,ContentType,ETag]')
	eq s3api-copy-object-copy-directive "$got" "$(printf 'blue\tcompat\ttext/plain\t"%s"' "$(md5 meta.txt)")"
	ok s3api-copy-object-replace aws s3api copy-object --bucket "$A" --key copy-new.txt --copy-source "$A/meta.txt" \
		--metadata-directive REPLACE --metadata color=red --content-type application/json
	got=$(q s3api head-object --bucket "$A" --key copy-new.txt --query '[Metadata.color,Metadata.owner,ContentType]')
	eq s3api-copy-object-replace-directive "$got" "$(printf 'red\tNone\tapplication/json')"
	aws s3api get-object --bucket "$A" --key copy-new.txt copy.out >/dev/null 2>&1
	same_file s3api-copy-object-bytes meta.txt copy.out
	expect_error s3api-copy-object-onto-itself InvalidRequest \
		aws s3api copy-object --bucket "$A" --key meta.txt --copy-source "$A/meta.txt"
	ok s3api-copy-object-onto-itself-replace aws s3api copy-object --bucket "$A" --key meta.txt --copy-source "$A/meta.txt" \
		--metadata-directive REPLACE --metadata color=green --content-type text/plain
	eq s3api-copy-object-onto-itself-metadata "$(q s3api head-object --bucket "$A" --key meta.txt --query Metadata.color)" green
	expect_error s3api-copy-object-no-such-source NoSuchKey \
		aws s3api copy-object --bucket "$A" --key x --copy-source "$A/does-not-exist"

	# list-objects-v2 / list-objects
	printf 'x' >x
	# (one sync call creates them: every awscli start costs ~0.5 s)
	mkdir -p listing/a listing/b
	for k in a/1 a/2 b/1 c d e "f g" ü; do printf 'x' >"listing/$k"; done
	out=$(aws s3 sync --no-progress listing "s3://$A/list" 2>&1)
	if [ "$(grep -c '^upload:' <<<"$out")" -eq 8 ]; then pass s3api-list-setup; else fail s3api-list-setup "$out"; fi
	ALLKEYS=$(printf '%s\n' list/a/1 list/a/2 list/b/1 list/c list/d list/e "list/f g" list/ü)
	out=$(aws s3api list-objects-v2 --bucket "$A" --prefix list/ --delimiter / --no-paginate 2>&1)
	got=$($PY -c 'import json,sys; d=json.load(sys.stdin)
print(",".join(p["Prefix"] for p in d.get("CommonPrefixes", [])), ",".join(o["Key"] for o in d.get("Contents", [])), d.get("KeyCount"))' <<<"$out" 2>&1)
	eq s3api-list-objects-v2-delimiter "$got" "list/a/,list/b/ list/c,list/d,list/e,list/f g,list/ü 7"
	out=$(q s3api list-objects-v2 --bucket "$A" --prefix list/ --query 'Contents[].Key' | tr '\t' '\n')
	eq s3api-list-objects-v2-prefix "$out" "$ALLKEYS"
	# --max-items: client-side pages, resumed with --starting-token; --page-size
	# makes the server paginate (MaxKeys + ContinuationToken).
	keys=
	tok=
	pages=0
	while :; do
		args=(--bucket "$A" --prefix list/ --max-items 3 --page-size 2)
		[ -n "$tok" ] && args+=(--starting-token "$tok")
		out=$(aws s3api list-objects-v2 "${args[@]}" 2>&1) || { fail s3api-list-objects-v2-max-items "$out"; break; }
		pages=$((pages + 1))
		page=$($PY -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(o["Key"] for o in d.get("Contents", [])))' <<<"$out")
		keys+="$page"$'\n'
		tok=$($PY -c 'import json,sys; print(json.load(sys.stdin).get("NextToken", ""))' <<<"$out")
		[ -z "$tok" ] || [ $pages -gt 10 ] && break
	done
	eq s3api-list-objects-v2-max-items "$pages pages: ${keys%$'\n'}" "3 pages: $ALLKEYS"
	out=$(aws s3api list-objects-v2 --bucket "$A" --prefix list/ --max-keys 2 --no-paginate 2>&1)
	got=$($PY -c 'import json,sys; d=json.load(sys.stdin); print(len(d["Contents"]), d["IsTruncated"], d["MaxKeys"], bool(d.get("NextContinuationToken")))' <<<"$out" 2>&1)
	eq s3api-list-objects-v2-max-keys "$got" "2 True 2 True"
	out=$(aws s3api list-objects-v2 --bucket "$A" --prefix list/ --start-after list/c --no-paginate --query 'Contents[].Key' --output text 2>&1 | tr '\t' '\n')
	eq s3api-list-objects-v2-start-after "$out" "$(sed -n '5,$p' <<<"$ALLKEYS")"
	out=$(q s3api list-objects --bucket "$A" --prefix list/ --page-size 3 --query 'Contents[].Key' | tr '\t' '\n')
	eq s3api-list-objects-v1-paged "$out" "$ALLKEYS"
	out=$(aws s3api list-objects --bucket "$A" --prefix list/ --delimiter / --max-keys 3 --no-paginate 2>&1)
	got=$($PY -c 'import json,sys; d=json.load(sys.stdin)
print(",".join(p["Prefix"] for p in d.get("CommonPrefixes", [])), ",".join(o["Key"] for o in d.get("Contents", [])), d.get("IsTruncated"), d.get("NextMarker"))' <<<"$out" 2>&1)
	eq s3api-list-objects-v1-delimiter-marker "$got" "list/a/,list/b/ list/c True list/c"
	out=$(q s3api list-objects --bucket "$A" --prefix list/ --marker list/d --query 'Contents[].Key' | tr '\t' '\n')
	eq s3api-list-objects-v1-marker "$out" "$(sed -n '6,$p' <<<"$ALLKEYS")"

	# delete-objects (a missing key is reported as deleted too)
	out=$(aws s3api delete-objects --bucket "$A" \
		--delete '{"Objects":[{"Key":"list/c"},{"Key":"list/d"},{"Key":"list/never-existed"}]}' 2>&1)
	got=$($PY -c 'import json,sys; d=json.load(sys.stdin); print(sorted(o["Key"] for o in d.get("Deleted", [])), d.get("Errors", []))' <<<"$out" 2>&1)
	eq s3api-delete-objects "$got" "['list/c', 'list/d', 'list/never-existed'] []"
	out=$(q s3api list-objects-v2 --bucket "$A" --prefix list/ --query 'Contents[].Key' | tr '\t' '\n')
	eq s3api-delete-objects-gone "$out" "$(grep -v -e '^list/c$' -e '^list/d$' <<<"$ALLKEYS")"
	out=$(aws s3api delete-objects --bucket "$A" --delete '{"Objects":[{"Key":"list/e"}],"Quiet":true}' 2>&1)
	if [ $? -eq 0 ] && ! grep -q '"Deleted"' <<<"$out"; then pass s3api-delete-objects-quiet; else fail s3api-delete-objects-quiet "$out"; fi
	ok s3api-delete-object aws s3api delete-object --bucket "$A" --key "list/f g"
	ok s3api-delete-object-missing aws s3api delete-object --bucket "$A" --key list/never-existed

	# multipart: create / upload-part / list-parts / list-multipart-uploads / complete
	head -c $((5 * 1024 * 1024)) /dev/urandom >part1
	head -c 1234567 /dev/urandom >part2
	cat part1 part2 >mp.whole
	uid=$(q s3api create-multipart-upload --bucket "$A" --key mp.bin --content-type application/x-compat \
		--metadata stage=mp --query UploadId)
	if [ -n "$uid" ] && [ "$uid" != None ]; then pass s3api-create-multipart-upload; else fail s3api-create-multipart-upload "no UploadId"; fi
	e1=$(q s3api upload-part --bucket "$A" --key mp.bin --upload-id "$uid" --part-number 1 --body part1 --query ETag)
	e2=$(q s3api upload-part --bucket "$A" --key mp.bin --upload-id "$uid" --part-number 2 --body part2 --query ETag)
	eq s3api-upload-part-etags "$e1 $e2" "\"$(md5 part1)\" \"$(md5 part2)\""
	out=$(q s3api list-parts --bucket "$A" --key mp.bin --upload-id "$uid" --query 'Parts[].[PartNumber,Size,ETag]')
	eq s3api-list-parts "$out" "$(printf '1\t5242880\t"%s"\n2\t1234567\t"%s"' "$(md5 part1)" "$(md5 part2)")"
	out=$(q s3api list-multipart-uploads --bucket "$A" --query 'Uploads[].[Key,UploadId]')
	eq s3api-list-multipart-uploads "$out" "$(printf 'mp.bin\t%s' "$uid")"
	printf '{"Parts":[{"PartNumber":1,"ETag":%s},{"PartNumber":2,"ETag":%s}]}' "${e1:-\"\"}" "${e2:-\"\"}" >parts.json
	out=$(q s3api complete-multipart-upload --bucket "$A" --key mp.bin --upload-id "$uid" \
		--multipart-upload file://parts.json --query ETag)
	want=$($PY -c 'import hashlib,sys
print("\"%s-2\"" % hashlib.md5(b"".join(hashlib.md5(open(f,"rb").read()).digest() for f in sys.argv[1:])).hexdigest())' part1 part2)
	eq s3api-complete-multipart-upload "$out" "$want"
	aws s3api get-object --bucket "$A" --key mp.bin mp.down >/dev/null 2>&1
	same_file s3api-multipart-bytes mp.whole mp.down
	got=$(q s3api head-object --bucket "$A" --key mp.bin --query '[ContentLength,ContentType,Metadata.stage]')
	eq s3api-multipart-head "$got" "$(printf '6477447\tapplication/x-compat\tmp')"
	out=$(q s3api get-object --bucket "$A" --key mp.bin --part-number 2 mp.part2 --query '[ContentLength,PartsCount]')
	if [ "$out" == "$(printf '1234567\t2')" ] && cmp -s mp.part2 part2; then pass s3api-get-object-part-number; else fail s3api-get-object-part-number "got [$out]"; fi
	out=$(q s3api list-multipart-uploads --bucket "$A" --query 'Uploads[].UploadId')
	eq s3api-list-multipart-uploads-after-complete "$out" None
	expect_error s3api-list-parts-completed NoSuchUpload aws s3api list-parts --bucket "$A" --key mp.bin --upload-id "$uid"

	# abort
	uid2=$(q s3api create-multipart-upload --bucket "$A" --key mp-abort.bin --query UploadId)
	aws s3api upload-part --bucket "$A" --key mp-abort.bin --upload-id "$uid2" --part-number 1 --body part2 >/dev/null 2>&1
	ok s3api-abort-multipart-upload aws s3api abort-multipart-upload --bucket "$A" --key mp-abort.bin --upload-id "$uid2"
	out=$(q s3api list-multipart-uploads --bucket "$A" --query 'Uploads[].UploadId')
	eq s3api-list-multipart-uploads-after-abort "$out" None
	expect_error s3api-list-parts-aborted NoSuchUpload aws s3api list-parts --bucket "$A" --key mp-abort.bin --upload-id "$uid2"
	expect_error s3api-abort-no-object NoSuchKey aws s3api get-object --bucket "$A" --key mp-abort.bin out.tmp

	# completion errors: a non-final part under 5 MiB; a wrong part ETag
	uid3=$(q s3api create-multipart-upload --bucket "$A" --key mp-small.bin --query UploadId)
	s1=$(q s3api upload-part --bucket "$A" --key mp-small.bin --upload-id "$uid3" --part-number 1 --body part2 --query ETag)
	s2=$(q s3api upload-part --bucket "$A" --key mp-small.bin --upload-id "$uid3" --part-number 2 --body x --query ETag)
	printf '{"Parts":[{"PartNumber":1,"ETag":%s},{"PartNumber":2,"ETag":%s}]}' "${s1:-\"\"}" "${s2:-\"\"}" >parts-small.json
	expect_error s3api-complete-entity-too-small EntityTooSmall aws s3api complete-multipart-upload --bucket "$A" \
		--key mp-small.bin --upload-id "$uid3" --multipart-upload file://parts-small.json
	printf '{"Parts":[{"PartNumber":1,"ETag":"\\"00000000000000000000000000000000\\""}]}' >parts-bad.json
	expect_error s3api-complete-invalid-part InvalidPart aws s3api complete-multipart-upload --bucket "$A" \
		--key mp-small.bin --upload-id "$uid3" --multipart-upload file://parts-bad.json
	aws s3api abort-multipart-upload --bucket "$A" --key mp-small.bin --upload-id "$uid3" >/dev/null 2>&1
	expect_error s3api-upload-part-no-such-upload NoSuchUpload aws s3api upload-part --bucket "$A" --key mp-small.bin \
		--upload-id "$uid3" --part-number 3 --body x

	# error codes
	expect_error err-no-such-key NoSuchKey aws s3api get-object --bucket "$A" --key does/not/exist out.tmp
	expect_error err-no-such-bucket NoSuchBucket aws s3api list-objects-v2 --bucket no-such-bucket-compat
	expect_error err-no-such-bucket-get NoSuchBucket aws s3api get-object --bucket no-such-bucket-compat --key k out.tmp
	expect_error err-no-such-bucket-put NoSuchBucket aws s3api put-object --bucket no-such-bucket-compat --key k --body x
	ok s3api-create-bucket-eu aws s3api create-bucket --bucket "$A-eu" --create-bucket-configuration LocationConstraint=eu-west-1
	expect_error err-bucket-already-owned BucketAlreadyOwnedByYou aws s3api create-bucket --bucket "$A-eu" \
		--create-bucket-configuration LocationConstraint=eu-west-1
	ok s3api-delete-bucket-eu aws s3api delete-bucket --bucket "$A-eu"
	expect_error err-invalid-bucket-name InvalidBucketName aws s3api create-bucket --bucket Invalid_Bucket_Name
	expect_error err-invalid-bucket-name-ip InvalidBucketName aws s3api create-bucket --bucket 192.168.5.4
	expect_error err-bucket-not-empty BucketNotEmpty aws s3api delete-bucket --bucket "$A"
	expect_error err-signature-does-not-match SignatureDoesNotMatch \
		env AWS_SECRET_ACCESS_KEY=not-the-secret timeout 60 "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" s3api list-buckets
	expect_error err-invalid-access-key-id InvalidAccessKeyId \
		env AWS_ACCESS_KEY_ID=AKIANOTAKEY timeout 60 "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" s3api list-buckets
	expect_error err-not-implemented-tagging NotImplemented aws s3api get-bucket-tagging --bucket "$A"
	expect_error err-not-implemented-put-acl NotImplemented aws s3api put-object-acl --bucket "$A" --key meta.txt --acl public-read

	# clean up through the API: empty the bucket, then delete it
	ok s3api-cleanup-rm aws s3 rm "s3://$A" --recursive
	ok s3api-delete-bucket aws s3api delete-bucket --bucket "$A"
	expect_error s3api-delete-bucket-gone NoSuchBucket aws s3api delete-bucket --bucket "$A"

}

part_s3 >"$T/part-s3.out" 2>&1 &
p1=$!
part_s3api >"$T/part-s3api.out" 2>&1 &
p2=$!
wait $p1 $p2
cat "$T/part-s3.out" "$T/part-s3api.out"
! grep -q "^FAIL " "$T/part-s3.out" "$T/part-s3api.out"
