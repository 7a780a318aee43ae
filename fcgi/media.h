/* media.h: images and PDF files of items: typed by content, re-encoded, stored by hash. */
#ifndef FAZHI_MEDIA_H
#define FAZHI_MEDIA_H

#include <stddef.h>
#include <stdint.h>

/* Largest file accepted, in bytes (a phone's photo is 3-8 MB; a scanned PDF ~5 MB). */
#define MEDIA_MAX_BYTES		(10u << 20)
/*
 * Most pixels of an image (width x height), read from its header before
 * anything is decoded: 40 megapixels, more than any phone's camera, and a
 * decoded image of at most 160 MB. A "decompression bomb" stops here.
 */
#define MEDIA_MAX_PIXELS	(40u * 1000 * 1000)
/* Widest image kept: the desktop page's column at twice its density. */
#define MEDIA_MAX_WIDTH		1600
/* Smaller widths made for srcset (a phone, a tablet), when the image is wider. */
#define MEDIA_WIDTHS		{ 480, 960 }
#define MEDIA_NWIDTHS		2
/* JPEG and WebP quality of re-encoded images. */
#define MEDIA_QUALITY		82
/* Longest alt text or attachment title, in bytes (about 100 characters). */
#define MEDIA_MAX_ALT		300
/* Longest caption, in bytes (about 200 characters). */
#define MEDIA_MAX_CAPTION	600
/* Most files one item may have (removed ones not counted). */
#define MEDIA_MAX_PER_ITEM	30
/* Hex digits of the SHA-256 of the upload that name its files (80 bits). */
#define MEDIA_HASH_HEX		20
/* Room for a stored name: hash, "-" width, "." extension. */
#define MEDIA_NAME_SIZE		48

enum media_kind {
	MEDIA_NONE,
	MEDIA_JPEG,
	MEDIA_PNG,
	MEDIA_WEBP,
	MEDIA_PDF
};

/* A stored file, as an upload made it or the build reads it back. */
struct media_info {
	enum media_kind	 kind;
	char		 name[MEDIA_NAME_SIZE];	/* HASH.ext: the largest image, or the PDF */
	int		 width, height;		/* of that image; 0 for a PDF */
	int64_t		 bytes;			/* of that file */
	int		 widths[MEDIA_NWIDTHS + 1]; /* smaller variants made, then 0 */
};

int		 media_init(void);
enum media_kind	 media_sniff(const void *, size_t);
const char	*media_ext(enum media_kind);
const char	*media_type(enum media_kind);
enum media_kind	 media_name_kind(const char *);
int		 media_store(const char *, const void *, size_t,
		    struct media_info *, const char **);
int		 media_read(const char *, const char *, struct media_info *);
void		 media_srcset(const struct media_info *, const char *, char *,
		    size_t);
void		 media_size_label(int64_t, char *, size_t);
int		 media_copy(const char *, const char *, const char *);

#endif
