/* Workload 5, compile-like: a tiny compiler and interpreter. At start it generates four pseudo-random
 * programs (about 12 KiB of source each) in a small language:
 *     count2 = (alpha1 + 17) * beta0 - mask3 / 3;
 *     if (state1 < 400) { ... } else { ... }
 *     i0 = 0; while (i0 < 5) { ...; i0 = i0 + 1; }
 *     print total2 ^ 77;
 * One iteration compiles one of them from scratch: lexes it (identifiers interned in a hash table),
 * parses it by recursive descent into a malloc'd syntax tree, folds constants, generates stack-machine
 * bytecode, runs the bytecode in a switch-dispatched interpreter, and frees the tree.
 * Score: compiles (+ runs) per second. */
#include "bench.h"

#define BASE_ITERS 500L
#define NPROGRAMS 4
#define SRC_MIN 12000
#define SRC_MAX 24000

static void die(const char *msg)
{
    fprintf(stderr, "compile: %s\n", msg);
    exit(1);
}

/* ---------------- source generator (untimed) ---------------- */

static const char *const words[] = {"alpha", "beta", "gamma", "delta", "count", "total", "index", "value",
                                    "limit", "state", "left", "right", "accum", "carry", "shift", "mask"};

struct gen {
    char *buf;
    size_t len;
    uint64_t seed;
};

static void emit(struct gen *g, const char *s)
{
    size_t n = strlen(s);
    if (g->len + n >= SRC_MAX)
        die("generated source too long");
    memcpy(g->buf + g->len, s, n);
    g->len += n;
    g->buf[g->len] = '\0';
}

static uint64_t rnd(struct gen *g, uint64_t n) { return bench_rand(&g->seed) % n; }

static void emit_var(struct gen *g)
{
    char tmp[32];
    const char *word = words[rnd(g, 16)]; /* two statements: argument order is unspecified */
    int digit = (int)rnd(g, 4);
    snprintf(tmp, sizeof tmp, "%s%d", word, digit);
    emit(g, tmp);
}

static void gen_expr(struct gen *g, int depth)
{
    static const char *const ops[] = {" + ", " - ", " * ", " / ", " % ", " & ", " ^ ", " + ", " - "};
    char tmp[32];
    if (depth >= 3 || rnd(g, 3) == 0) {
        if (rnd(g, 2)) {
            snprintf(tmp, sizeof tmp, "%d", (int)rnd(g, 1000));
            emit(g, tmp);
        } else {
            emit_var(g);
        }
        return;
    }
    int paren = (int)rnd(g, 2);
    if (rnd(g, 8) == 0)
        emit(g, "-");
    if (paren)
        emit(g, "(");
    gen_expr(g, depth + 1);
    emit(g, ops[rnd(g, 9)]);
    gen_expr(g, depth + 1);
    if (paren)
        emit(g, ")");
}

static void indent(struct gen *g, int depth)
{
    for (int i = 0; i < depth; i++)
        emit(g, "    ");
}

static void gen_stmt(struct gen *g, int depth);

static void gen_block(struct gen *g, int depth, int extra_counter)
{
    char tmp[64];
    emit(g, "{\n");
    int n = 1 + (int)rnd(g, 3);
    for (int i = 0; i < n; i++)
        gen_stmt(g, depth + 1);
    if (extra_counter >= 0) {
        indent(g, depth + 1);
        snprintf(tmp, sizeof tmp, "i%d = i%d + 1;\n", extra_counter, extra_counter);
        emit(g, tmp);
    }
    indent(g, depth);
    emit(g, "}");
}

static void gen_stmt(struct gen *g, int depth)
{
    static const char *const cmps[] = {" < ", " > ", " == ", " != "};
    char tmp[64];
    uint64_t kind = rnd(g, 10);
    indent(g, depth);
    if (kind < 6 || depth >= 3) {
        emit_var(g);
        emit(g, " = ");
        gen_expr(g, 0);
        emit(g, ";\n");
    } else if (kind < 8) {
        emit(g, "if (");
        gen_expr(g, 1);
        emit(g, cmps[rnd(g, 4)]);
        gen_expr(g, 1);
        emit(g, ") ");
        gen_block(g, depth, -1);
        if (rnd(g, 2)) {
            emit(g, " else ");
            gen_block(g, depth, -1);
        }
        emit(g, "\n");
    } else if (kind < 9 && depth < 2) {
        /* Counted loop: the counter i<depth> is assigned nowhere else, so it always ends. */
        snprintf(tmp, sizeof tmp, "i%d = 0;\n", depth);
        emit(g, tmp);
        indent(g, depth);
        snprintf(tmp, sizeof tmp, "while (i%d < %d) ", depth, 4 + (int)rnd(g, 13));
        emit(g, tmp);
        gen_block(g, depth, depth);
        emit(g, "\n");
    } else {
        emit(g, "print ");
        gen_expr(g, 0);
        emit(g, ";\n");
    }
}

static char *generate(uint64_t seed)
{
    struct gen g = {malloc(SRC_MAX), 0, seed};
    if (!g.buf)
        die("out of memory");
    g.buf[0] = '\0';
    while (g.len < SRC_MIN)
        gen_stmt(&g, 0);
    return g.buf;
}

/* ---------------- lexer ---------------- */

enum {
    T_EOF, T_NUM, T_ID, T_IF, T_ELSE, T_WHILE, T_PRINT, T_LP, T_RP, T_LB, T_RB, T_SEMI, T_ASSIGN,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_AMP, T_CARET, T_LT, T_GT, T_EQ, T_NE
};

struct token {
    int type;
    int64_t val; /* number, or symbol index */
};

#define MAX_SYMS 256
#define SYM_HASH 512
static struct {
    char name[24];
    int len;
} syms[MAX_SYMS];
static int nsyms;
static int16_t symhash[SYM_HASH];

static int intern(const char *s, int len)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < len; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    for (uint32_t k = h & (SYM_HASH - 1);; k = (k + 1) & (SYM_HASH - 1)) {
        int idx = symhash[k];
        if (idx < 0) {
            if (nsyms == MAX_SYMS || len >= (int)sizeof syms[0].name)
                die("symbol table full");
            idx = nsyms++;
            memcpy(syms[idx].name, s, (size_t)len);
            syms[idx].len = len;
            symhash[k] = (int16_t)idx;
            return idx;
        }
        if (syms[idx].len == len && memcmp(syms[idx].name, s, (size_t)len) == 0)
            return idx;
    }
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int keyword(const char *s, int len)
{
    switch (len) {
    case 2:
        return memcmp(s, "if", 2) == 0 ? T_IF : T_ID;
    case 4:
        return memcmp(s, "else", 4) == 0 ? T_ELSE : T_ID;
    case 5:
        return memcmp(s, "while", 5) == 0 ? T_WHILE : memcmp(s, "print", 5) == 0 ? T_PRINT : T_ID;
    default:
        return T_ID;
    }
}

static int lex(const char *p, struct token *toks, int max)
{
    int n = 0;
    for (;;) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (n == max)
            die("too many tokens");
        struct token *t = &toks[n++];
        char c = *p;
        if (c == '\0') {
            t->type = T_EOF;
            return n;
        }
        if (is_digit(c)) {
            int64_t v = 0;
            while (is_digit(*p))
                v = v * 10 + (*p++ - '0');
            t->type = T_NUM;
            t->val = v;
            continue;
        }
        if (is_alpha(c)) {
            const char *s = p;
            while (is_alpha(*p) || is_digit(*p))
                p++;
            t->type = keyword(s, (int)(p - s));
            if (t->type == T_ID)
                t->val = intern(s, (int)(p - s));
            continue;
        }
        p++;
        switch (c) {
        case '(': t->type = T_LP; break;
        case ')': t->type = T_RP; break;
        case '{': t->type = T_LB; break;
        case '}': t->type = T_RB; break;
        case ';': t->type = T_SEMI; break;
        case '+': t->type = T_PLUS; break;
        case '-': t->type = T_MINUS; break;
        case '*': t->type = T_STAR; break;
        case '/': t->type = T_SLASH; break;
        case '%': t->type = T_PERCENT; break;
        case '&': t->type = T_AMP; break;
        case '^': t->type = T_CARET; break;
        case '<': t->type = T_LT; break;
        case '>': t->type = T_GT; break;
        case '=':
            if (*p == '=') {
                p++;
                t->type = T_EQ;
            } else {
                t->type = T_ASSIGN;
            }
            break;
        case '!':
            if (*p++ != '=')
                die("lex: '!' without '='");
            t->type = T_NE;
            break;
        default:
            die("lex: unexpected character");
        }
    }
}

/* ---------------- parser ---------------- */

enum { N_NUM, N_VAR, N_NEG, N_BIN, N_ASSIGN, N_IF, N_WHILE, N_PRINT, N_SEQ };

struct ast {
    int kind, op;
    int64_t val;
    struct ast *a, *b, *c, *next;
};

static const struct token *tk;
static int pos;

static struct ast *mk(int kind)
{
    struct ast *n = calloc(1, sizeof *n);
    if (!n)
        die("out of memory");
    n->kind = kind;
    return n;
}

static void expect(int type)
{
    if (tk[pos].type != type)
        die("parse error");
    pos++;
}

static struct ast *expr(void);

static struct ast *primary(void)
{
    const struct token *t = &tk[pos++];
    struct ast *n;
    switch (t->type) {
    case T_NUM:
        n = mk(N_NUM);
        n->val = t->val;
        return n;
    case T_ID:
        n = mk(N_VAR);
        n->val = t->val;
        return n;
    case T_LP:
        n = expr();
        expect(T_RP);
        return n;
    case T_MINUS:
        n = mk(N_NEG);
        n->a = primary();
        return n;
    default:
        die("parse error in expression");
        return NULL;
    }
}

static struct ast *binary(int op, struct ast *a, struct ast *b)
{
    struct ast *n = mk(N_BIN);
    n->op = op;
    n->a = a;
    n->b = b;
    return n;
}

static struct ast *term(void)
{
    struct ast *a = primary();
    for (;;) {
        int op = tk[pos].type;
        if (op != T_STAR && op != T_SLASH && op != T_PERCENT && op != T_AMP && op != T_CARET)
            return a;
        pos++;
        a = binary(op, a, primary());
    }
}

static struct ast *sum(void)
{
    struct ast *a = term();
    while (tk[pos].type == T_PLUS || tk[pos].type == T_MINUS) {
        int op = tk[pos++].type;
        a = binary(op, a, term());
    }
    return a;
}

static struct ast *expr(void)
{
    struct ast *a = sum();
    int op = tk[pos].type;
    if (op == T_LT || op == T_GT || op == T_EQ || op == T_NE) {
        pos++;
        a = binary(op, a, sum());
    }
    return a;
}

static struct ast *stmt(void);

static struct ast *block(void)
{
    struct ast *seq = mk(N_SEQ), **tail = &seq->a;
    expect(T_LB);
    while (tk[pos].type != T_RB) {
        *tail = stmt();
        tail = &(*tail)->next;
    }
    pos++;
    return seq;
}

static struct ast *stmt(void)
{
    struct ast *n;
    switch (tk[pos].type) {
    case T_ID:
        n = mk(N_ASSIGN);
        n->val = tk[pos++].val;
        expect(T_ASSIGN);
        n->a = expr();
        expect(T_SEMI);
        return n;
    case T_IF:
        pos++;
        n = mk(N_IF);
        expect(T_LP);
        n->a = expr();
        expect(T_RP);
        n->b = block();
        if (tk[pos].type == T_ELSE) {
            pos++;
            n->c = block();
        }
        return n;
    case T_WHILE:
        pos++;
        n = mk(N_WHILE);
        expect(T_LP);
        n->a = expr();
        expect(T_RP);
        n->b = block();
        return n;
    case T_PRINT:
        pos++;
        n = mk(N_PRINT);
        n->a = expr();
        expect(T_SEMI);
        return n;
    default:
        die("parse error in statement");
        return NULL;
    }
}

static struct ast *program(void)
{
    struct ast *seq = mk(N_SEQ), **tail = &seq->a;
    while (tk[pos].type != T_EOF) {
        *tail = stmt();
        tail = &(*tail)->next;
    }
    return seq;
}

static void free_ast(struct ast *n)
{
    while (n) {
        struct ast *next = n->next;
        free_ast(n->a);
        free_ast(n->b);
        free_ast(n->c);
        free(n);
        n = next;
    }
}

/* ---------------- arithmetic shared by the folder and the VM (wrapping, total) ---------------- */

static uint64_t arith(int op, uint64_t a, uint64_t b)
{
    switch (op) {
    case T_PLUS: return a + b;
    case T_MINUS: return a - b;
    case T_STAR: return a * b;
    case T_SLASH:
        if (b == 0)
            return 0;
        if (b == (uint64_t)-1)
            return 0 - a;
        return (uint64_t)((int64_t)a / (int64_t)b);
    case T_PERCENT:
        if (b == 0 || b == (uint64_t)-1)
            return 0;
        return (uint64_t)((int64_t)a % (int64_t)b);
    case T_AMP: return a & b;
    case T_CARET: return a ^ b;
    case T_LT: return (int64_t)a < (int64_t)b;
    case T_GT: return (int64_t)a > (int64_t)b;
    case T_EQ: return a == b;
    case T_NE: return a != b;
    default: die("bad operator"); return 0;
    }
}

/* Folds constant subexpressions in place. */
static void fold(struct ast *n)
{
    for (; n; n = n->next) {
        fold(n->a);
        fold(n->b);
        fold(n->c);
        if (n->kind == N_BIN && n->a->kind == N_NUM && n->b->kind == N_NUM) {
            n->val = (int64_t)arith(n->op, (uint64_t)n->a->val, (uint64_t)n->b->val);
            free(n->a);
            free(n->b);
            n->a = n->b = NULL;
            n->kind = N_NUM;
        } else if (n->kind == N_NEG && n->a->kind == N_NUM) {
            n->val = (int64_t)(0 - (uint64_t)n->a->val);
            free(n->a);
            n->a = NULL;
            n->kind = N_NUM;
        }
    }
}

/* ---------------- code generator ---------------- */

enum { OP_PUSH, OP_LOAD, OP_STORE, OP_NEG, OP_BIN, OP_JZ, OP_JMP, OP_PRINT, OP_HALT };

#define MAX_CODE 65536
static int64_t code[MAX_CODE];
static int ncode;

static void put(int64_t v)
{
    if (ncode == MAX_CODE)
        die("code too long");
    code[ncode++] = v;
}

static void gen(const struct ast *n)
{
    for (; n; n = n->next) {
        int at;
        switch (n->kind) {
        case N_NUM: put(OP_PUSH); put(n->val); break;
        case N_VAR: put(OP_LOAD); put(n->val); break;
        case N_NEG: gen(n->a); put(OP_NEG); break;
        case N_BIN: gen(n->a); gen(n->b); put(OP_BIN); put(n->op); break;
        case N_ASSIGN: gen(n->a); put(OP_STORE); put(n->val); break;
        case N_PRINT: gen(n->a); put(OP_PRINT); break;
        case N_SEQ: gen(n->a); break;
        case N_IF:
            gen(n->a);
            put(OP_JZ);
            at = ncode;
            put(0);
            gen(n->b);
            if (n->c) {
                put(OP_JMP);
                int end = ncode;
                put(0);
                code[at] = ncode;
                gen(n->c);
                code[end] = ncode;
            } else {
                code[at] = ncode;
            }
            break;
        case N_WHILE: {
            int top = ncode;
            gen(n->a);
            put(OP_JZ);
            at = ncode;
            put(0);
            gen(n->b);
            put(OP_JMP);
            put(top);
            code[at] = ncode;
            break;
        }
        default:
            die("bad node");
        }
        if (n->kind == N_NUM || n->kind == N_VAR || n->kind == N_NEG || n->kind == N_BIN)
            return; /* expressions are not chained through next */
    }
}

/* ---------------- interpreter ---------------- */

static uint64_t run(uint64_t *vars, uint64_t *out)
{
    uint64_t stack[64];
    int sp = 0;
    long pc = 0, steps = 0;
    for (;; steps++) {
        switch (code[pc++]) {
        case OP_PUSH: stack[sp++] = (uint64_t)code[pc++]; break;
        case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
        case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
        case OP_NEG: stack[sp - 1] = 0 - stack[sp - 1]; break;
        case OP_BIN:
            sp--;
            stack[sp - 1] = arith((int)code[pc++], stack[sp - 1], stack[sp]);
            break;
        case OP_JZ:
            if (stack[--sp] == 0)
                pc = code[pc];
            else
                pc++;
            break;
        case OP_JMP: pc = code[pc]; break;
        case OP_PRINT: *out = bench_mix(*out, stack[--sp]); break;
        case OP_HALT: return (uint64_t)steps;
        default: die("bad opcode"); return 0;
        }
        if (sp >= 60)
            die("stack overflow");
    }
}

static struct token toks[16384];

int main(int argc, char **argv)
{
    long iters = bench_count(argc, argv, BASE_ITERS);
    char *src[NPROGRAMS];
    for (int i = 0; i < NPROGRAMS; i++)
        src[i] = generate(0x5eed0000ULL + (uint64_t)i * 0x9E3779B97F4A7C15ULL);

    uint64_t digest = BENCH_DIGEST_INIT;
    double t0 = bench_now();
    for (long it = 0; it < iters; it++) {
        memset(symhash, 0xff, sizeof symhash);
        nsyms = 0;
        int ntok = lex(src[it % NPROGRAMS], toks, (int)(sizeof toks / sizeof toks[0]));
        tk = toks;
        pos = 0;
        struct ast *prog = program();
        fold(prog);
        ncode = 0;
        gen(prog);
        put(OP_HALT);
        free_ast(prog);

        uint64_t vars[MAX_SYMS] = {0};
        uint64_t out = BENCH_DIGEST_INIT;
        uint64_t steps = run(vars, &out);
        for (int v = 0; v < nsyms; v++)
            out = bench_mix(out, vars[v]);
        digest = bench_mix(digest, out ^ ((uint64_t)ntok << 32) ^ ((uint64_t)ncode << 48) ^ steps);
    }
    double t1 = bench_now();
    bench_report("compile", (double)iters, "iter/s", iters, t1 - t0, digest);
    for (int i = 0; i < NPROGRAMS; i++)
        free(src[i]);
    return 0;
}
