/*
 * media.c: the images and PDF files of items. An upload is typed by its
 * content alone (its first bytes, then the one libvips loader of that
 * type), never by its name; an image is decoded and encoded again by
 * libvips, so that nothing of the upload but its pixels survives (no EXIF,
 * GPS, comments or appended data), in the widths a phone and a desktop
 * need; a PDF is checked to be one and kept as it came. Files are named by
 * the SHA-256 of the upload (HASH.ext, HASH-WIDTH.ext): the server picks
 * every name, a changed file gets a new one, and nginx may cache them for
 * a year. The build reads them back (media_read) to give pages their
 * width, height, srcset and sizes.
 *
 * Uploads come from signed-in staff only, but are treated as hostile:
 * libvips runs with its untrusted loaders blocked, one thread, no cache,
 * and an image's size is checked from its header before it is decoded.
 *
 * NOTE: libvips is opened with dlopen when first needed, not linked: it
 * brings about a hundred libraries, and loading them cost every run of the
 * program (a `fazhi check`, each public worker's start) about 0.1 s and 17
 * MB of mappings that only the console's uploads and the build's reading
 * of images use. The header gives the types; media_vips the functions.
 */
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>
#include <vips/vips.h>

#include "build.h"
#include "log.h"
#include "media.h"
#include "mem.h"

/* The shared library of libvips 8 (Debian's libvips42). */
#define MEDIA_VIPS_LIB		"libvips.so.42"

/*
 * The functions of libvips (and of GLib, through it) this file calls, typed
 * by the header's own declarations.
 */
static struct media_vips {
	__typeof__(vips_init)	*init;
	__typeof__(vips_error_buffer)	*error_buffer;
	__typeof__(vips_error_clear)	*error_clear;
	__typeof__(vips_block_untrusted_set)	*block_untrusted_set;
	__typeof__(vips_concurrency_set)	*concurrency_set;
	__typeof__(vips_cache_set_max)	*cache_set_max;
	__typeof__(vips_jpegload_buffer)	*jpegload_buffer;
	__typeof__(vips_pngload_buffer)	*pngload_buffer;
	__typeof__(vips_webpload_buffer)	*webpload_buffer;
	__typeof__(vips_jpegsave_buffer)	*jpegsave_buffer;
	__typeof__(vips_pngsave_buffer)	*pngsave_buffer;
	__typeof__(vips_webpsave_buffer)	*webpsave_buffer;
	__typeof__(vips_thumbnail_image)	*thumbnail_image;
	__typeof__(vips_thumbnail_buffer)	*thumbnail_buffer;
	__typeof__(vips_image_copy_memory)	*image_copy_memory;
	__typeof__(vips_image_get_width)	*image_get_width;
	__typeof__(vips_image_get_height)	*image_get_height;
	__typeof__(vips_image_new_from_file)	*image_new_from_file;
	__typeof__(vips_foreign_find_load)	*foreign_find_load;
	__typeof__(g_object_unref)	*object_unref;
	__typeof__(g_free)	*free;
} V;

static const struct {
	const char	*name;
	size_t		 offset;
} media_vips_syms[] = {
	{ "vips_init", offsetof(struct media_vips, init) },
	{ "vips_error_buffer", offsetof(struct media_vips, error_buffer) },
	{ "vips_error_clear", offsetof(struct media_vips, error_clear) },
	{ "vips_block_untrusted_set", offsetof(struct media_vips, block_untrusted_set) },
	{ "vips_concurrency_set", offsetof(struct media_vips, concurrency_set) },
	{ "vips_cache_set_max", offsetof(struct media_vips, cache_set_max) },
	{ "vips_jpegload_buffer", offsetof(struct media_vips, jpegload_buffer) },
	{ "vips_pngload_buffer", offsetof(struct media_vips, pngload_buffer) },
	{ "vips_webpload_buffer", offsetof(struct media_vips, webpload_buffer) },
	{ "vips_jpegsave_buffer", offsetof(struct media_vips, jpegsave_buffer) },
	{ "vips_pngsave_buffer", offsetof(struct media_vips, pngsave_buffer) },
	{ "vips_webpsave_buffer", offsetof(struct media_vips, webpsave_buffer) },
	{ "vips_thumbnail_image", offsetof(struct media_vips, thumbnail_image) },
	{ "vips_thumbnail_buffer", offsetof(struct media_vips, thumbnail_buffer) },
	{ "vips_image_copy_memory", offsetof(struct media_vips, image_copy_memory) },
	{ "vips_image_get_width", offsetof(struct media_vips, image_get_width) },
	{ "vips_image_get_height", offsetof(struct media_vips, image_get_height) },
	{ "vips_image_new_from_file", offsetof(struct media_vips, image_new_from_file) },
	{ "vips_foreign_find_load", offsetof(struct media_vips, foreign_find_load) },
	{ "g_object_unref", offsetof(struct media_vips, object_unref) },
	{ "g_free", offsetof(struct media_vips, free) },
};

/* Bytes at a PDF's end within which "startxref" and "%%EOF" must be. */
#define MEDIA_PDF_TAIL		1024

static const int media_widths[MEDIA_NWIDTHS] = MEDIA_WIDTHS;

/*
 * Starts libvips once per process: its untrusted loaders blocked (only the
 * JPEG, PNG and WebP loaders are ever called anyway), one worker thread (the
 * machine is shared), no operation cache. Returns 0, or -1 (logged).
 */
int
media_init(void)
{
	static int	 done;
	void		*h, *f;
	size_t		 i;

	if (done)
		return done == 1 ? 0 : -1;
	done = -1;
	if ((h = dlopen(MEDIA_VIPS_LIB, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_warnx("%s", dlerror());
		return -1;
	}
	for (i = 0; i < sizeof(media_vips_syms) / sizeof(media_vips_syms[0]); i++) {
		if ((f = dlsym(h, media_vips_syms[i].name)) == NULL) {
			log_warnx("%s: no %s", MEDIA_VIPS_LIB, media_vips_syms[i].name);
			return -1;
		}
		memcpy((char *)&V + media_vips_syms[i].offset, &f, sizeof(f));
	}
	if (V.init("fazhi") != 0) {
		log_warnx("libvips: %s", V.error_buffer());
		return -1;
	}
	V.block_untrusted_set(TRUE);
	V.concurrency_set(1);
	V.cache_set_max(0);
	done = 1;
	return 0;
}

/* The kind of p[0..n) by its first bytes alone; MEDIA_NONE when none. */
enum media_kind
media_sniff(const void *buf, size_t n)
{
	const unsigned char *p = buf;

	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return MEDIA_JPEG;
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return MEDIA_PNG;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return MEDIA_WEBP;
	if (n >= 8 && memcmp(p, "%PDF-", 5) == 0 && (p[5] == '1' || p[5] == '2') &&
	    p[6] == '.')
		return MEDIA_PDF;
	return MEDIA_NONE;
}

const char *
media_ext(enum media_kind k)
{
	switch (k) {
	case MEDIA_JPEG: return "jpg";
	case MEDIA_PNG: return "png";
	case MEDIA_WEBP: return "webp";
	case MEDIA_PDF: return "pdf";
	default: return "";
	}
}

/* The Content-Type nginx serves a kind as (nginx/fazhi.conf.in agrees). */
const char *
media_type(enum media_kind k)
{
	switch (k) {
	case MEDIA_JPEG: return "image/jpeg";
	case MEDIA_PNG: return "image/png";
	case MEDIA_WEBP: return "image/webp";
	case MEDIA_PDF: return "application/pdf";
	default: return "application/octet-stream";
	}
}

/*
 * The kind of a stored name: MEDIA_HASH_HEX lower-case hex digits, then
 * ".jpg", ".png", ".webp" or ".pdf". MEDIA_NONE for any other name (a
 * variant's "-WIDTH" included): no other name is ever read or served.
 */
enum media_kind
media_name_kind(const char *name)
{
	size_t	 i;
	int	 k;

	for (i = 0; i < MEDIA_HASH_HEX; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		    (name[i] >= 'a' && name[i] <= 'f')))
			return MEDIA_NONE;
	if (name[i] != '.')
		return MEDIA_NONE;
	for (k = MEDIA_JPEG; k <= MEDIA_PDF; k++)
		if (strcmp(name + i + 1, media_ext((enum media_kind)k)) == 0)
			return (enum media_kind)k;
	return MEDIA_NONE;
}

/*
 * Does p[0..n) hold the start of an HTML (or SVG, or PHP) document anywhere?
 * Such a file is a polyglot, made to be read as a page by something that
 * guesses types: refused, whatever else it is.
 */
static int
media_has_markup(const unsigned char *p, size_t n)
{
	static const char *const tags[] = { "<!doctype", "<html", "<head",
	    "<body", "<script", "<iframe", "<svg", "<object", "<embed",
	    "<?php", "<meta", NULL };
	const unsigned char *q = p, *end = p + n;
	int	 i;

	while ((q = memchr(q, '<', (size_t)(end - q))) != NULL) {
		for (i = 0; tags[i] != NULL; i++)
			if ((size_t)(end - q) >= strlen(tags[i]) &&
			    strncasecmp((const char *)q, tags[i],
			    strlen(tags[i])) == 0)
				return 1;
		q++;
	}
	return 0;
}

/*
 * Is p[0..n) a PDF to the extent one can tell without a PDF library: the
 * "%PDF-1." header at its very start (media_sniff), and "startxref" and
 * "%%EOF" within its last MEDIA_PDF_TAIL bytes, "%%EOF" last but for
 * white space. A truncated upload fails here.
 */
static int
media_pdf_ok(const unsigned char *p, size_t n)
{
	size_t	 end = n, tail;

	while (end > 0 && (p[end - 1] == '\n' || p[end - 1] == '\r' ||
	    p[end - 1] == ' ' || p[end - 1] == '\t' || p[end - 1] == '\0'))
		end--;
	if (end < 5 || memcmp(p + end - 5, "%%EOF", 5) != 0)
		return 0;
	tail = end > MEDIA_PDF_TAIL ? end - MEDIA_PDF_TAIL : 0;
	return memmem(p + tail, end - tail, "startxref", 9) != NULL;
}

/*
 * Is the image p[0..n) of kind k whole? A JPEG's scan must end (an EOI
 * marker after its first SOS: inside a scan a 0xff byte is always
 * followed by 0 or a restart marker), a PNG must have its IEND chunk. A
 * decoder given a cut file makes up the rest with a mere warning, so this
 * is checked here. (libwebp refuses a cut WebP itself.)
 */
static int
media_whole(const unsigned char *p, size_t n, enum media_kind k)
{
	const unsigned char *sos;

	if (k == MEDIA_JPEG)
		return (sos = memmem(p, n, "\xff\xda", 2)) != NULL &&
		    memmem(sos, n - (size_t)(sos - p), "\xff\xd9", 2) != NULL;
	if (k == MEDIA_PNG)
		return memmem(p, n, "IEND", 4) != NULL;
	return 1;
}

/* Logs libvips' error (what) and clears it. */
static void
media_vips_warn(const char *what)
{
	log_warnx("%s: %s", what, V.error_buffer());
	V.error_clear();
}

/* Loads buf with the one loader of kind k, header only. NULL when it fails. */
static VipsImage *
media_load(const void *buf, size_t len, enum media_kind k)
{
	VipsImage	*im = NULL;
	int		 rc = -1;

	switch (k) {
	case MEDIA_JPEG:
		rc = V.jpegload_buffer((void *)buf, len, &im, "fail_on",
		    VIPS_FAIL_ON_ERROR, NULL);
		break;
	case MEDIA_PNG:
		rc = V.pngload_buffer((void *)buf, len, &im, "fail_on",
		    VIPS_FAIL_ON_ERROR, NULL);
		break;
	case MEDIA_WEBP:
		rc = V.webpload_buffer((void *)buf, len, &im, "fail_on",
		    VIPS_FAIL_ON_ERROR, NULL);
		break;
	default:
		break;
	}
	if (rc != 0) {
		media_vips_warn("image");
		return NULL;
	}
	return im;
}

/* Encodes im as kind k, without any metadata, into path. 0, or -1. */
static int
media_save(VipsImage *im, enum media_kind k, const char *path)
{
	void	*out = NULL;
	size_t	 len = 0;
	int	 rc = -1;

	switch (k) {
	case MEDIA_JPEG:
		rc = V.jpegsave_buffer(im, &out, &len, "Q", MEDIA_QUALITY,
		    "strip", TRUE, "optimize_coding", TRUE, "interlace", TRUE,
		    NULL);
		break;
	case MEDIA_PNG:
		rc = V.pngsave_buffer(im, &out, &len, "strip", TRUE,
		    "compression", 6, NULL);
		break;
	case MEDIA_WEBP:
		rc = V.webpsave_buffer(im, &out, &len, "Q", MEDIA_QUALITY,
		    "strip", TRUE, NULL);
		break;
	default:
		break;
	}
	if (rc != 0) {
		media_vips_warn(path);
		return -1;
	}
	rc = build_write_file(path, out, len, 0644);
	V.free(out);
	return rc;
}

/* Writes im at width w (never wider than it is) as kind k into path. 0, or -1. */
static int
media_write_width(VipsImage *im, int w, enum media_kind k, const char *path)
{
	VipsImage	*t = NULL;
	int		 rc;

	if (V.thumbnail_image(im, &t, w, "height", 10000000, "size",
	    VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL) != 0) {
		media_vips_warn(path);
		return -1;
	}
	rc = media_save(t, k, path);
	V.object_unref(t);
	return rc;
}

/* Removes the file name of dir and its first n smaller widths: a failed store. */
static void
media_unlink(const char *dir, const char *name, const int *widths, int n)
{
	char	 path[4096];
	int	 i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%.*s-%d.%s", dir, MEDIA_HASH_HEX,
		    name, widths[i], media_ext(media_name_kind(name)));
		unlink(path);
	}
}

/*
 * Decodes the image buf (kind k) once, upright (its EXIF orientation
 * applied), at most MEDIA_MAX_WIDTH wide (JPEGs shrink while they load),
 * and keeps those pixels in memory. NULL (logged) when it cannot be read
 * whole: a truncated or damaged image fails here.
 */
static VipsImage *
media_decode(const void *buf, size_t len)
{
	VipsImage	*t = NULL, *mem;

	if (V.thumbnail_buffer((void *)buf, len, &t, MEDIA_MAX_WIDTH, "height",
	    10000000, "size", VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_ERROR,
	    NULL) != 0) {
		media_vips_warn("image");
		return NULL;
	}
	if ((mem = V.image_copy_memory(t)) == NULL)
		media_vips_warn("image");
	V.object_unref(t);
	return mem;
}

/*
 * Decodes the image buf (kind k) and writes it, re-encoded, into dir under
 * its hash: at most MEDIA_MAX_WIDTH wide, and each smaller width of
 * MEDIA_WIDTHS (made from the decoded pixels, not decoded again). Returns
 * 0; 1 (with *why) when the upload is refused; -1 on a failure of the
 * server.
 */
static int
media_image(const char *dir, const void *buf, size_t len, enum media_kind k,
    const char *hash, struct media_info *info, const char **why)
{
	static const char unreadable[] =
	    "文件无法作为图片读取（可能已损坏，或不是它看起来的格式）。";
	VipsImage	*im, *full = NULL;
	char		 path[4096];
	int		 i, n = 0, rc = 1;

	/* the loader of the type found, the header alone: nothing decoded yet */
	if ((im = media_load(buf, len, k)) == NULL) {
		*why = unreadable;
		return 1;
	}
	if ((uint64_t)V.image_get_width(im) *
	    (uint64_t)V.image_get_height(im) > MEDIA_MAX_PIXELS) {
		*why = "图片的像素过多（超过 4000 万像素），请缩小后再上传。";
		goto done;
	}
	if (!media_whole(buf, len, k) || (full = media_decode(buf, len)) == NULL) {
		*why = unreadable;
		goto done;
	}
	info->width = V.image_get_width(full);
	info->height = V.image_get_height(full);
	snprintf(info->name, sizeof(info->name), "%.*s.%s", MEDIA_HASH_HEX, hash,
	    media_ext(k));
	snprintf(path, sizeof(path), "%s/%s", dir, info->name);
	rc = -1;
	if (media_save(full, k, path) == -1)
		goto done;
	for (i = 0; i < MEDIA_NWIDTHS; i++) {
		if (media_widths[i] >= info->width)
			continue;
		snprintf(path, sizeof(path), "%s/%.*s-%d.%s", dir, MEDIA_HASH_HEX,
		    hash, media_widths[i], media_ext(k));
		if (media_write_width(full, media_widths[i], k, path) == -1) {
			media_unlink(dir, info->name, info->widths, n);
			goto done;
		}
		info->widths[n++] = media_widths[i];
	}
	info->widths[n] = 0;
	rc = 0;
done:
	if (full != NULL)
		V.object_unref(full);
	V.object_unref(im);
	return rc;
}

/*
 * Stores the upload buf[0..len) in the folder dir: typed by its content,
 * an image re-encoded (media_image), a PDF checked and kept as it came.
 * Fills info (name, kind, size). Returns 0; 1 when the upload is refused,
 * with *why (Chinese, for the uploader); -1 when the server failed.
 */
int
media_store(const char *dir, const void *buf, size_t len,
    struct media_info *info, const char **why)
{
	unsigned char	 sum[crypto_hash_sha256_BYTES];
	char		 hash[2 * crypto_hash_sha256_BYTES + 1], path[4096];
	struct stat	 st;
	int		 rc;

	memset(info, 0, sizeof(*info));
	if (len == 0) {
		*why = "文件是空的。";
		return 1;
	}
	if (len > MEDIA_MAX_BYTES) {
		*why = "文件过大（不能超过 10 MB）。";
		return 1;
	}
	if ((info->kind = media_sniff(buf, len)) == MEDIA_NONE) {
		*why = "只能上传 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断，"
		    "与文件名无关）。";
		return 1;
	}
	if (media_has_markup(buf, len)) {
		*why = "文件里夹带了网页代码，不能上传。";
		return 1;
	}
	crypto_hash_sha256(sum, buf, len);
	sodium_bin2hex(hash, sizeof(hash), sum, sizeof(sum));
	hash[MEDIA_HASH_HEX] = '\0';
	if (info->kind == MEDIA_PDF) {
		if (!media_pdf_ok(buf, len)) {
			*why = "文件不是完整的 PDF（可能只上传了一部分，或已损坏）。";
			return 1;
		}
		snprintf(info->name, sizeof(info->name), "%.*s.pdf", MEDIA_HASH_HEX,
		    hash);
		snprintf(path, sizeof(path), "%s/%s", dir, info->name);
		info->bytes = (int64_t)len;
		return build_write_file(path, buf, len, 0644) == -1 ? -1 : 0;
	}
	if (media_init() == -1)
		return -1;
	if ((rc = media_image(dir, buf, len, info->kind, hash, info, why)) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, info->name);
	if (stat(path, &st) == -1) {
		log_warn("%s", path);
		return -1;
	}
	info->bytes = (int64_t)st.st_size;
	return 0;
}

/* Reads up to n bytes of path from offset (from the end when < 0). -1, or bytes read. */
static ssize_t
media_read_at(const char *path, off_t offset, void *buf, size_t n)
{
	ssize_t	 got;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (offset < 0 && lseek(fd, offset, SEEK_END) == -1)
		lseek(fd, 0, SEEK_SET);		/* a file shorter than -offset */
	got = read(fd, buf, n);
	close(fd);
	return got;
}

/*
 * Reads back the stored file name of folder dir, for the build: its size,
 * and for an image its width, height and the smaller widths that exist.
 * Returns 0; -1 with errno ENOENT when it is missing; -1 with EINVAL when
 * it is not the kind its name says (checked from its first bytes, and for
 * an image by the loader of that kind reading its header).
 */
int
media_read(const char *dir, const char *name, struct media_info *info)
{
	unsigned char	 head[16], tail[MEDIA_PDF_TAIL];
	char		 path[4096], hash[MEDIA_HASH_HEX + 1];
	struct stat	 st;
	VipsImage	*im;
	ssize_t		 n;
	int		 i, k = 0;

	memset(info, 0, sizeof(*info));
	if ((info->kind = media_name_kind(name)) == MEDIA_NONE) {
		errno = EINVAL;
		return -1;
	}
	snprintf(info->name, sizeof(info->name), "%.*s", MEDIA_NAME_SIZE - 1,
	    name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
		errno = ENOENT;
		return -1;
	}
	info->bytes = (int64_t)st.st_size;
	errno = EINVAL;
	if ((n = media_read_at(path, 0, head, sizeof(head))) < 0 ||
	    media_sniff(head, (size_t)n) != info->kind)
		return -1;
	if (info->kind == MEDIA_PDF) {
		n = media_read_at(path, -(off_t)sizeof(tail), tail, sizeof(tail));
		return n > 0 && media_pdf_ok(tail, (size_t)n) ? 0 : -1;
	}
	if (media_init() == -1)
		return -1;
	/* the loader of the name's kind, header only */
	if ((im = V.image_new_from_file(path, "access",
	    VIPS_ACCESS_SEQUENTIAL, NULL)) == NULL) {
		V.error_clear();
		return -1;
	}
	if (strcasestr(V.foreign_find_load(path) ? V.foreign_find_load(path) :
	    "", info->kind == MEDIA_JPEG ? "jpeg" : info->kind == MEDIA_PNG ?
	    "png" : "webp") == NULL) {
		V.object_unref(im);
		return -1;
	}
	info->width = V.image_get_width(im);
	info->height = V.image_get_height(im);
	V.object_unref(im);
	snprintf(hash, sizeof(hash), "%.*s", MEDIA_HASH_HEX, name);
	for (i = 0; i < MEDIA_NWIDTHS; i++) {
		snprintf(path, sizeof(path), "%s/%s-%d.%s", dir, hash,
		    media_widths[i], media_ext(info->kind));
		if (media_widths[i] < info->width && access(path, R_OK) == 0)
			info->widths[k++] = media_widths[i];
	}
	info->widths[k] = 0;
	return 0;
}

/*
 * Writes the srcset of image info, its files under the address prefix
 * (e.g. "/media/"), into out: "P/H-480.jpg 480w, P/H.jpg 1600w".
 */
void
media_srcset(const struct media_info *info, const char *prefix, char *out,
    size_t n)
{
	size_t	 len = 0;
	int	 i;

	out[0] = '\0';
	for (i = 0; info->widths[i] != 0 && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%.*s-%d.%s %dw, ",
		    prefix, MEDIA_HASH_HEX, info->name, info->widths[i],
		    media_ext(info->kind), info->widths[i]);
	if (len < n)
		snprintf(out + len, n - len, "%s%s %dw", prefix, info->name,
		    info->width);
}

/* The size as people read it: "856 KB", "1.2 MB" (units of 1000, as file managers show). */
void
media_size_label(int64_t bytes, char *out, size_t n)
{
	if (bytes < 1000)
		snprintf(out, n, "%lld B", (long long)bytes);
	else if (bytes < 1000 * 1000)
		snprintf(out, n, "%lld KB", (long long)((bytes + 500) / 1000));
	else
		snprintf(out, n, "%.1f MB", (double)bytes / 1e6);
}

/* Copies path from to path to, atomically, when to does not exist yet. 0, or -1. */
static int
media_copy_file(const char *from, const char *to)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 got;
	int		 fd, rc;

	if (access(to, F_OK) == 0)
		return 0;	/* named by its content: already the same */
	if ((fd = open(from, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) == -1 ||
	    st.st_size > (off_t)MEDIA_MAX_BYTES) {
		log_warn("%s", from);
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((buf = mem_alloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return -1;
	}
	got = read(fd, buf, (size_t)st.st_size);
	close(fd);
	rc = got == st.st_size ? build_write_file(to, buf, (size_t)got, 0644) : -1;
	mem_free(buf);
	return rc;
}

/*
 * Copies the stored file name and its smaller widths from folder from to
 * folder to (made when missing): how a file staff uploaded gets into
 * content/media/ when its item is approved. Returns 0, or -1 (logged).
 */
int
media_copy(const char *from, const char *to, const char *name)
{
	enum media_kind	 k = media_name_kind(name);
	char		 a[4096], b[4096];
	int		 i;

	if (k == MEDIA_NONE || (mkdir(to, 0755) == -1 && errno != EEXIST)) {
		log_warnx("%s: cannot copy %s", to, name);
		return -1;
	}
	snprintf(a, sizeof(a), "%s/%s", from, name);
	snprintf(b, sizeof(b), "%s/%s", to, name);
	if (media_copy_file(a, b) == -1)
		return -1;
	for (i = 0; i < MEDIA_NWIDTHS && k != MEDIA_PDF; i++) {
		snprintf(a, sizeof(a), "%s/%.*s-%d.%s", from, MEDIA_HASH_HEX, name,
		    media_widths[i], media_ext(k));
		snprintf(b, sizeof(b), "%s/%.*s-%d.%s", to, MEDIA_HASH_HEX, name,
		    media_widths[i], media_ext(k));
		if (access(a, F_OK) == 0 && media_copy_file(a, b) == -1)
			return -1;
	}
	return 0;
}
