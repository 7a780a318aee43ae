/* import.h: `fazhi import penalties FEED.xml`: merges a penalty-record feed into the store. */
#ifndef FAZHI_IMPORT_H
#define FAZHI_IMPORT_H

/* Where, under the content folder, the imported records are kept. */
#define IMPORT_STORE_NAME	"penalties/records.xml"

int	import_main(int, char **);

#endif
