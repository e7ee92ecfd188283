-- One PostgreSQL server, one database per service: nothing is shared but Kafka topics.
CREATE DATABASE sales OWNER warden;
CREATE DATABASE aftersales OWNER warden;
CREATE DATABASE compliance OWNER warden;
