/* Shingle hashes of a folded text, compiled: the words of lib/text/tokeniser.py's WORD pattern, each word's CRC-32
 * (zlib's, of its UTF-8 bytes), and from each word on the sum of the next n of them weighted (modulo 2**64): what
 * lib/cleaning/passages.py's shingle_array computes in Python, in one pass over the text, for the same hashes.
 *
 * A word (WORD): a run of characters that Python's re takes for \w, but "_" (Py_UNICODE_ISALNUM), continued by an
 * apostrophe or a hyphen followed by such a run, or by "." or "," between two decimal digits (re's \d,
 * Py_UNICODE_ISDECIMAL) followed by such a run.
 *
 * shingles(text, n, weights) -> bytes: the hashes as native uint64s (none for fewer than n words). A word has no
 * surrogate (not alphanumeric), so its UTF-8 bytes are always there.
 * spans(text) -> list: (start, end) of each word, as WORD.finditer finds them. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static inline uint32_t crc_byte(uint32_t crc, unsigned char b) {
    return crc_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
}

/* crc updated by the UTF-8 bytes of c (not a surrogate) */
static inline void crc_utf8(uint32_t *crc, Py_UCS4 c) {
    if (c < 0x80) {
        *crc = crc_byte(*crc, (unsigned char)c);
    } else if (c < 0x800) {
        *crc = crc_byte(*crc, (unsigned char)(0xC0 | (c >> 6)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        *crc = crc_byte(*crc, (unsigned char)(0xE0 | (c >> 12)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | ((c >> 6) & 0x3F)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | (c & 0x3F)));
    } else {
        *crc = crc_byte(*crc, (unsigned char)(0xF0 | (c >> 18)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | ((c >> 12) & 0x3F)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | ((c >> 6) & 0x3F)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | (c & 0x3F)));
    }
}

static inline int is_word(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) && c != '_'; }

static inline int is_joiner(Py_UCS4 c) {  /* tokeniser's apostrophes and hyphens: '’ʼ‘-‐‑ */
    return c == 0x27 || c == 0x2019 || c == 0x2BC || c == 0x2018 || c == 0x2D || c == 0x2010 || c == 0x2011;
}

/* The next word of text[*at:len] (read through kind and data): 1 with [*start, *at) its span and *crc the CRC-32 of
 * its UTF-8 bytes; 0 at the end of the text */
static int next_word(int kind, const void *data, Py_ssize_t len, Py_ssize_t *at, Py_ssize_t *start, uint32_t *crc) {
    Py_ssize_t i = *at;
    while (i < len && !is_word(PyUnicode_READ(kind, data, i)))
        i++;
    if (i == len) {
        *at = len;
        return 0;
    }
    *start = i;
    *crc = 0xFFFFFFFFu;
    for (;;) {  /* a run of word characters, then a joiner or a decimal mark before the next run */
        Py_UCS4 c;
        while (i < len && is_word(c = PyUnicode_READ(kind, data, i))) {
            crc_utf8(crc, c);
            i++;
        }
        if (i + 1 >= len)
            break;
        Py_UCS4 mark = PyUnicode_READ(kind, data, i), next = PyUnicode_READ(kind, data, i + 1);
        int joins = is_joiner(mark) && is_word(next);
        int decimal = (mark == '.' || mark == ',') && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i - 1))
                      && Py_UNICODE_ISDECIMAL(next);
        if (!joins && !decimal)
            break;
        crc_utf8(crc, mark);  /* ASCII or BMP, never a surrogate */
        i++;
    }
    *crc ^= 0xFFFFFFFFu;
    *at = i;
    return 1;
}

static PyObject *shingles(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t n;
    Py_buffer weights;
    if (!PyArg_ParseTuple(args, "Uny*", &text, &n, &weights))
        return NULL;
    uint64_t w[64];
    if (n < 1 || n > 64 || weights.len != (Py_ssize_t)(n * sizeof(uint64_t))) {
        PyBuffer_Release(&weights);
        PyErr_SetString(PyExc_ValueError, "n: 1 to 64 words; weights: n native uint64s");
        return NULL;
    }
    memcpy(w, weights.buf, n * sizeof(uint64_t));
    PyBuffer_Release(&weights);

    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), at = 0, start, cap = 256, count = 0;
    uint64_t *codes = PyMem_Malloc(cap * sizeof(uint64_t));
    if (!codes)
        return PyErr_NoMemory();
    uint32_t crc;
    while (next_word(kind, data, len, &at, &start, &crc)) {
        if (count == cap) {
            cap *= 2;
            uint64_t *more = PyMem_Realloc(codes, cap * sizeof(uint64_t));
            if (!more) {
                PyMem_Free(codes);
                return PyErr_NoMemory();
            }
            codes = more;
        }
        codes[count++] = (uint64_t)crc;
    }
    Py_ssize_t out_n = count >= n ? count - n + 1 : 0;
    PyObject *out = PyBytes_FromStringAndSize(NULL, out_n * (Py_ssize_t)sizeof(uint64_t));
    if (out) {
        uint64_t *hashes = (uint64_t *)PyBytes_AS_STRING(out);
        for (Py_ssize_t j = 0; j < out_n; j++) {
            uint64_t h = 0;
            for (Py_ssize_t k = 0; k < n; k++)
                h += codes[j + k] * w[k];  /* unsigned: modulo 2**64 */
            hashes[j] = h;
        }
    }
    PyMem_Free(codes);
    return out;
}

static PyObject *spans(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "spans: a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), at = 0, start;
    uint32_t crc;
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    while (next_word(kind, data, len, &at, &start, &crc)) {
        PyObject *row = Py_BuildValue("(nn)", start, at);
        if (!row || PyList_Append(out, row) < 0) {
            Py_XDECREF(row);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(row);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"shingles", shingles, METH_VARARGS, "shingles(text, n, weights) -> bytes: see the module's source."},
    {"spans", spans, METH_O, "spans(text) -> list of (start, end): see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_shingles", NULL, -1, methods};

PyMODINIT_FUNC PyInit__shingles(void) {
    crc_init();
    return PyModule_Create(&module);
}
