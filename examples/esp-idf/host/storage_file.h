/* The host's storage port: which file it keeps its records in. */
#ifndef READER_STORAGE_FILE_H
#define READER_STORAGE_FILE_H

/* Sets the file before storage_open(); -1 when the path is too long. */
int storage_file_use(const char *file);

#endif /* READER_STORAGE_FILE_H */
