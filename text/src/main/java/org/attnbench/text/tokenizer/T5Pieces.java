package org.attnbench.text.tokenizer;

/** A T5 vocabulary's pieces of a text, without the end token: what a library gives. */
interface T5Pieces extends AutoCloseable {
    /** The ids of the text's pieces; special tokens written in the text ({@code </s>}, {@code <extra_id_0>}) are their own ids. */
    long[] encode(String text);

    /** The id of one token (the end and pad tokens). */
    long id(String token);

    /** Ids back to text (for the truncation warning). */
    String decode(long[] ids);

    @Override
    void close();
}
