# LossLab in a container: docker build -t losslab . && docker run -p 8501:8501 losslab
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY app.py server.py ./
COPY core ./core
COPY ui ./ui
COPY classroom ./classroom
COPY app_pages ./app_pages
COPY assets ./assets
COPY static ./static
COPY .streamlit ./.streamlit

RUN useradd --create-home losslab && mkdir /data && chown losslab /data
ENV LOSSLAB_DATA_DIR=/data
USER losslab
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["python", "-m", "ui.serve", "run", "server.py", "--server.port=8501", "--server.address=0.0.0.0"]
