#!/usr/bin/env bash
# Builds the controller image without a registry or a Docker daemon (Debian's buildah, storage driver vfs): a
# self-contained `dotnet publish`, the few shared libraries it loads (taken from this machine, as a distroless base
# holds them), CA certificates and a passwd entry for the non-root user, in one layer FROM scratch; then the same
# configuration as the Dockerfile (user 65532, entrypoint /app/sluice, command controller).
#   deploy/image/build.sh [TAG]        default TAG: localhost/sluice:<version>
# Environment: OUT (work folder, default artifacts/image), CONFIGURATION (default Release), ARCHIVE=1 to also write
# OUT/sluice.oci.tar, STORAGE_DRIVER (default vfs, which needs no kernel support).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
tag=${1:-localhost/sluice:$version}
out=${OUT:-$root/artifacts/image}
buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")

command -v buildah >/dev/null || { echo "build.sh: buildah is not installed (apt-get install buildah)" >&2; exit 3; }
rm -rf "$out/publish" "$out/rootfs"
mkdir -p "$out"
echo "build.sh: publishing sluice $version (self-contained, linux-x64)" >&2
dotnet publish "$root/src/Sluice.Cli" -c "${CONFIGURATION:-Release}" -r linux-x64 --self-contained -o "$out/publish" -v quiet -nologo >&2

rootfs=$out/rootfs
mkdir -p "$rootfs/app" "$rootfs/etc/ssl/certs" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
cp -a "$out/publish/." "$rootfs/app/"
# The libraries the runtime loads: what ldd says the apphost and native parts need, and OpenSSL (opened by name).
libs=$( { ldd "$rootfs/app/sluice"; find "$rootfs/app" -name '*.so' -exec ldd {} \; ; } 2>/dev/null | grep -o '/[^ ]*' | sort -u)
for ssl in libssl.so.3 libcrypto.so.3; do
  libs="$libs $(ldconfig -p | awk -v n="$ssl" '$1 == n && /x86-64/ { print $NF; exit }')"
done
for lib in $libs; do
  [ -e "$lib" ] || continue
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$rootfs/etc/group"

container=$("${buildah[@]}" from scratch)
trap '"${buildah[@]}" rm "$container" >/dev/null 2>&1 || true' EXIT
"${buildah[@]}" copy --quiet "$container" "$rootfs" / >/dev/null
"${buildah[@]}" config \
  --user 65532:65532 --workingdir /app --port 8080 \
  --entrypoint '["/app/sluice"]' --cmd controller \
  --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
  --label org.opencontainers.image.title=sluice \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.description="Sluice: progressive rollout for Kubernetes applications" \
  "$container"
"${buildah[@]}" commit --quiet --rm "$container" "$tag" >/dev/null
trap - EXIT
if [ "${ARCHIVE:-0}" = 1 ]; then
  rm -f "$out/sluice.oci.tar"
  "${buildah[@]}" push --quiet "$tag" "oci-archive:$out/sluice.oci.tar:$tag" >&2
fi
echo "$tag"
