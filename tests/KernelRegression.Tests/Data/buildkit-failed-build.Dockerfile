FROM kr/debian:bookworm AS a
RUN echo stage-a2 > /a
FROM kr/debian:bookworm AS unused
RUN echo never
FROM a
RUN echo hello from run2 && cat /a && echo to-stderr >&2 && exit 3
