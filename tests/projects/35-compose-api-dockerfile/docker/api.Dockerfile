FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY service/ service/
CMD ["gunicorn", "service.app:app", "--bind", "0.0.0.0:8000"]
