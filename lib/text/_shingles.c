/* Shingle hashes of a folded text, compiled: the words of lib/text/tokeniser.py's WORD pattern, each word's CRC-32
 * (zlib's, of its UTF-8 bytes), and from each word on the sum of the next n of them weighted (modulo 2**64): what
 * lib/cleaning/passages.py's shingle_array computes in Python, in one pass over the text, for the same hashes.
 *
 * A word (WORD): a run of characters that Python's re takes for \w, but "_" (Py_UNICODE_ISALNUM), continued by an
 * apostrophe or a hyphen followed by such a run, or by "." or "," between two decimal digits (re's \d,
 * Py_UNICODE_ISDECIMAL) followed by such a run.
 *
 * shingles(text, n, weights) -> bytes | None: the hashes as native uint64s (none for fewer than n words); None for a
 * text with a surrogate (it has no UTF-8 bytes: the Python path raises as str.encode does). */

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

/* crc updated by the UTF-8 bytes of c; 0 for a surrogate, which has none */
static inline int crc_utf8(uint32_t *crc, Py_UCS4 c) {
    if (c < 0x80) {
        *crc = crc_byte(*crc, (unsigned char)c);
    } else if (c < 0x800) {
        *crc = crc_byte(*crc, (unsigned char)(0xC0 | (c >> 6)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        if (c >= 0xD800 && c <= 0xDFFF)
            return 0;
        *crc = crc_byte(*crc, (unsigned char)(0xE0 | (c >> 12)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | ((c >> 6) & 0x3F)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | (c & 0x3F)));
    } else {
        *crc = crc_byte(*crc, (unsigned char)(0xF0 | (c >> 18)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | ((c >> 12) & 0x3F)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | ((c >> 6) & 0x3F)));
        *crc = crc_byte(*crc, (unsigned char)(0x80 | (c & 0x3F)));
    }
    return 1;
}

static inline int is_word(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) && c != '_'; }

static inline int is_joiner(Py_UCS4 c) {  /* tokeniser's apostrophes and hyphens: '’ʼ‘-‐‑ */
    return c == 0x27 || c == 0x2019 || c == 0x2BC || c == 0x2018 || c == 0x2D || c == 0x2010 || c == 0x2011;
}

static PyObject *shingles(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t n;
    Py_buffer weights;
    if (!PyArg_ParseTuple(args, "Uny*", &text, &n, &weights))
        return NULL;
    if (n < 1 || weights.len != (Py_ssize_t)(n * sizeof(uint64_t))) {
        PyBuffer_Release(&weights);
        PyErr_SetString(PyExc_ValueError, "weights: n native uint64s");
        return NULL;
    }
    uint64_t w[64];
    if (n > 64) {
        PyBuffer_Release(&weights);
        PyErr_SetString(PyExc_ValueError, "n: at most 64 words");
        return NULL;
    }
    memcpy(w, weights.buf, n * sizeof(uint64_t));
    PyBuffer_Release(&weights);

    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Py_ssize_t cap = 256, count = 0;
    uint64_t *codes = PyMem_Malloc(cap * sizeof(uint64_t));
    if (!codes)
        return PyErr_NoMemory();
    Py_ssize_t i = 0;
    while (i < len) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_word(c)) {
            i++;
            continue;
        }
        uint32_t crc = 0xFFFFFFFFu;
        for (;;) {  /* a run of word characters, then a joiner or a decimal mark before the next run */
            while (i < len && is_word(c = PyUnicode_READ(kind, data, i))) {
                if (!crc_utf8(&crc, c)) {
                    PyMem_Free(codes);
                    Py_RETURN_NONE;
                }
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
            crc_utf8(&crc, mark);  /* ASCII or BMP, never a surrogate */
            i++;
        }
        if (count == cap) {
            cap *= 2;
            uint64_t *more = PyMem_Realloc(codes, cap * sizeof(uint64_t));
            if (!more) {
                PyMem_Free(codes);
                return PyErr_NoMemory();
            }
            codes = more;
        }
        codes[count++] = (uint64_t)(crc ^ 0xFFFFFFFFu);
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

static PyMethodDef methods[] = {
    {"shingles", shingles, METH_VARARGS, "shingles(text, n, weights) -> bytes | None: see the module's source."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_shingles", NULL, -1, methods};

PyMODINIT_FUNC PyInit__shingles(void) {
    crc_init();
    return PyModule_Create(&module);
}
