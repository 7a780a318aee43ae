/* pack.h: an item's lists, packed once when a snapshot is built (MessagePack). */
#ifndef FAZHI_PACK_H
#define FAZHI_PACK_H

#include <stddef.h>

#include <lua.h>
#include <sqlite3.h>

/* An item's packed lists longer than this are a damaged snapshot. */
#define PACK_MAX_BYTES	(4 * 1024 * 1024)

int	pack_build(sqlite3 *);
int	pack_set(lua_State *, int, const void *, size_t);

#endif
